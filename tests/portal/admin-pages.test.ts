// The tenant admin's extension page (settings, SIP password, number, delete) and company settings (issue #17), in
// headless Chromium against the real API: field errors in words at the field, what the API stored, and at 390 px
// no horizontal scroll, no axe-core violations, no console errors.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEMO } from '@pbx/db/seed';
import { sipA1Hash } from '@pbx/domain/security';
import { adminOn, checkPage, PHONE } from './checks.js';
import { closePage, db, portal, SHOTS } from './harness.js';

const tenant = await db.prisma.tenant.findUniqueOrThrow({ where: { domain: DEMO.tenant.domain } });
const ext = (number: string) =>
  db.prisma.extension.findFirstOrThrow({ where: { tenantId: tenant.id, number } });
void describe('extension page', () => {
  test('a chosen SIP password: weak ones are refused at the field in words, a strong one is stored', async () => {
    const carol = await ext('1003');
    const page = await adminOn(`/t/${tenant.id}/extensions/${carol.id}`, PHONE);
    const form = page.getByRole('form', { name: 'Set a chosen password' });
    await form.waitFor();
    await checkPage(page, 'extension-edit-390');
    const field = form.getByLabel('Or set a chosen password');
    // Refused by the contract in the browser, then by the API (the number is only known there).
    await field.fill('short');
    await form.getByRole('button', { name: 'Set password' }).click();
    await form.getByText('Must be at least 12 characters long').waitFor();
    await field.fill('carol-1003-phone-pw');
    await form.getByRole('button', { name: 'Set password' }).click();
    await form.getByText('Must not contain the extension number').waitFor();
    // Mantine ties the message to its input (aria-describedby): the error is the field's.
    const described = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    const texts = await Promise.all(described.map((id) => page.locator(`[id="${id}"]`).innerText()));
    assert.ok(
      texts.some((t) => /extension number/.test(t)),
      JSON.stringify(texts),
    );
    await field.fill('Moved-From-Old-PBX-7');
    await form.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('status').getByText('The new password is set.').waitFor();
    assert.equal(
      (await ext('1003')).sipA1Hash,
      sipA1Hash('1003', DEMO.tenant.domain, 'Moved-From-Old-PBX-7'),
    );
    await closePage(page);
  });

  test('change number keeping the password; delete lists what routes to an extension', async () => {
    const bob = await ext('1002');
    const page = await adminOn(`/t/${tenant.id}/extensions/${bob.id}`);
    const form = page.getByRole('form', { name: 'Change number' });
    await form.waitFor();
    await form.getByLabel('New number').fill(DEMO.ivr.number);
    await form.getByRole('button', { name: 'Change number' }).click();
    await form.getByText(`Number ${DEMO.ivr.number} is already used in this tenant`).waitFor();
    await form.getByLabel('New number').fill('1092');
    await form.getByLabel('Phone’s current password (optional)').fill('wrong-password');
    await form.getByRole('button', { name: 'Change number' }).click();
    await form.getByText('Is not the phone’s current SIP password').waitFor();
    await form.getByLabel('Phone’s current password (optional)').fill(DEMO.extensions[1].sipPassword);
    await form.getByRole('button', { name: 'Change number' }).click();
    await page
      .getByRole('status')
      .getByText(/Now extension 1092/)
      .waitFor();
    await page.getByRole('heading', { name: 'Extension 1092' }).waitFor();
    const moved = await db.prisma.extension.findUniqueOrThrow({ where: { id: bob.id } });
    assert.equal(moved.number, '1092');
    assert.equal(moved.sipA1Hash, sipA1Hash('1092', DEMO.tenant.domain, DEMO.extensions[1].sipPassword));
    await page.screenshot({ path: join(SHOTS, 'extension-change-number.png'), fullPage: true });

    // Alice is what the demo's menu and number ring: deleting her is refused with the list, in words.
    const alice = await ext('1001');
    await page.goto(`${portal}/t/${tenant.id}/extensions/${alice.id}`);
    const remove = page.getByRole('button', { name: 'Delete extension' });
    await remove.waitFor();
    assert.equal(await remove.isDisabled(), true, 'disabled until the number is typed');
    await page.getByLabel('Extension number to delete').fill('1001');
    await remove.click();
    const refs = page.getByTestId('referrers');
    await refs.waitFor();
    assert.match(await refs.innerText(), new RegExp(`IVR menu “${DEMO.ivr.name}”`));
    await page.screenshot({ path: join(SHOTS, 'extension-delete-refused.png'), fullPage: true });
    assert.ok(await db.prisma.extension.findUnique({ where: { id: alice.id } }), 'not deleted');
    await closePage(page);
  });
});

void describe('company settings', () => {
  test('a tenant admin renames the company and sets the outbound policy; a bad country is named', async () => {
    const page = await adminOn(`/t/${tenant.id}/settings`, PHONE);
    const company = page.getByRole('form', { name: 'Company settings' });
    await company.waitFor();
    await page.getByRole('form', { name: 'Outbound policy' }).waitFor();
    await checkPage(page, 'company-settings-390');
    await company.getByLabel('Company name').fill('Demo Dental');
    await company.getByRole('button', { name: 'Save' }).click();
    await company.getByRole('status').getByText('Saved.').waitFor();
    assert.equal(
      (await db.prisma.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).name,
      'Demo Dental',
    );

    const policy = page.getByRole('form', { name: 'Outbound policy' });
    const countries = policy.getByLabel('Countries international calls may reach');
    await countries.fill('germany');
    await countries.press('Enter');
    await policy.getByRole('button', { name: 'Save outbound policy' }).click();
    await policy.getByText(/ISO 3166-1 alpha-2/).waitFor();
    await countries.press('Backspace');
    await countries.fill('DE');
    await countries.press('Enter');
    await policy.getByRole('button', { name: 'Save outbound policy' }).click();
    await policy.getByRole('status').getByText('Saved.').waitFor();
    await closePage(page);
  });
});
