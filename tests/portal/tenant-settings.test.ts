// The tenant's emergency and voicemail settings (issue #17) in headless Chromium against the real API: the platform
// admin sets them (contract errors and the API's field errors shown at the field, in words), they are stored and
// read back after a reload; the tenant's own admin sees them without being able to change them, and sets an
// extension's own emergency callback number and location.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO } from '@pbx/db/seed';
import { adminOn, checkPage, PHONE } from './checks.js';
import { closePage, db, openPage, portal, signIn, type Tab } from './harness.js';

const tenant = await db.prisma.tenant.findUniqueOrThrow({ where: { domain: DEMO.tenant.domain } });
const stored = () => db.prisma.tenant.findUniqueOrThrow({ where: { id: tenant.id } });
const settingsUrl = `${portal}/t/${tenant.id}/settings`;

async function platformAdminOn(url: string): Promise<Tab> {
  const page = await openPage(PHONE);
  await signIn(page, DEMO.admin.email, DEMO.admin.password);
  await page.getByRole('button', { name: 'Menu' }).waitFor();
  await page.goto(url);
  return page;
}

/** The messages Mantine ties to an input (aria-describedby): an error there is the field's own. */
async function describedBy(page: Tab, label: string): Promise<string> {
  const field = page.getByLabel(label, { exact: true });
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
  return texts.join(' | ');
}

void describe('emergency and voicemail settings', () => {
  test('a platform admin sets them; errors at the field; stored and read back', async () => {
    const page = await platformAdminOn(settingsUrl);
    const form = page.getByRole('form', { name: 'Emergency and voicemail settings' });
    await form.waitFor();
    await checkPage(page, 'tenant-provider-settings-390');

    // Refused by the contract in the browser: a character no carrier's location identifier has.
    await form.getByLabel('Emergency location').fill('Floor 3 <lab>');
    await form.getByLabel('Emergency callback number').fill('+15005550006');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText(/^Expected letters, digits, spaces/).waitFor();
    assert.match(await describedBy(page, 'Emergency location'), /Expected letters, digits/);

    // Refused by the API: a number that is not the tenant's own, named at its field.
    await form.getByLabel('Emergency location').fill('Building A, Floor 3');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText(/is neither an inbound number of this tenant/).waitFor();
    assert.match(await describedBy(page, 'Emergency callback number'), /is neither an inbound number/);

    await form.getByLabel('Emergency callback number').fill(DEMO.did.e164);
    await form.getByLabel('Country').fill('Irel');
    await page.getByRole('option', { name: 'Ireland (IE)' }).click();
    await form.getByLabel('Keep voicemail messages (days)').fill('30');
    await form.getByLabel('Voicemail e-mails come from').fill('not an address');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Expected an e-mail address').waitFor();
    await form.getByLabel('Voicemail e-mails come from').fill('voicemail@demo-dental.example');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').getByText('Saved.').waitFor();
    const saved = await stored();
    assert.equal(saved.country, 'IE');
    assert.equal(saved.emergencyCallerIdNumber, DEMO.did.e164);
    assert.equal(saved.emergencyLocation, 'Building A, Floor 3');
    assert.equal(saved.voicemailRetentionDays, 30);
    assert.equal(saved.emailFrom, 'voicemail@demo-dental.example');

    await page.reload();
    await form.waitFor();
    assert.equal(await form.getByLabel('Country').inputValue(), 'Ireland (IE)');
    assert.equal(await form.getByLabel('Emergency callback number').inputValue(), DEMO.did.e164);
    assert.equal(await form.getByLabel('Emergency location').inputValue(), 'Building A, Floor 3');
    assert.equal(await form.getByLabel('Keep voicemail messages (days)').inputValue(), '30');

    // Empty retention: messages are kept until deleted (null), as the API means it.
    await form.getByLabel('Keep voicemail messages (days)').fill('');
    await form.getByLabel('Voicemail e-mails come from').fill('');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').getByText('Saved.').waitFor();
    const cleared = await stored();
    assert.equal(cleared.voicemailRetentionDays, null);
    assert.equal(cleared.emailFrom, null);
    assert.equal(cleared.emergencyLocation, 'Building A, Floor 3');
    await closePage(page);
  });

  test('the tenant admin reads them and sets an extension’s own emergency number and location', async () => {
    await db.prisma.tenant.update({
      where: { id: tenant.id },
      data: { emergencyLocation: 'Head office', voicemailRetentionDays: 90 },
    });
    const page = await adminOn(`/t/${tenant.id}/settings`, PHONE);
    const form = page.getByRole('form', { name: 'Emergency and voicemail settings' });
    await form.waitFor();
    assert.equal(await form.getByLabel('Emergency location').inputValue(), 'Head office');
    assert.equal(await form.getByLabel('Emergency location').isDisabled(), true);
    assert.equal(await form.getByLabel('Keep voicemail messages (days)').inputValue(), '90');
    assert.equal(await form.getByRole('button', { name: 'Save' }).count(), 0);

    const carol = await db.prisma.extension.findFirstOrThrow({
      where: { tenantId: tenant.id, number: '1003' },
    });
    await page.goto(`${portal}/t/${tenant.id}/extensions/${carol.id}`);
    const edit = page.getByRole('form', { name: 'Edit extension' });
    await edit.waitFor();
    await edit.getByLabel('Emergency callback number').fill('+15005550006');
    await edit.getByLabel('Emergency location').fill('Lab, Floor 2');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.getByText(/is neither an inbound number of this tenant/).waitFor();
    await edit.getByLabel('Emergency callback number').fill(DEMO.did.e164);
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.getByRole('status').getByText('Saved.').waitFor();
    const after = await db.prisma.extension.findUniqueOrThrow({ where: { id: carol.id } });
    assert.equal(after.emergencyCallerIdNumber, DEMO.did.e164);
    assert.equal(after.emergencyLocation, 'Lab, Floor 2');
    await page.reload();
    await edit.waitFor();
    assert.equal(await edit.getByLabel('Emergency location').inputValue(), 'Lab, Floor 2');
    await closePage(page);
  });
});
