// The platform's carrier trunks (issue #17) in headless Chromium against the real API: a platform admin creates
// one (the contract's and the API's refusals at the field), finds its password never shown, changes and deletes
// it; a tenant admin, whom the API refuses /gateways, is told the page is for administrators.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO } from '@pbx/db/seed';
import { adminOn, checkPage, PHONE } from './checks.js';
import { closePage, db, openPage, portal, signIn } from './harness.js';

const SECRET = 'carrier-Secret-4711';

void describe('trunks for platform admins', () => {
  test('a platform admin creates a trunk, changes it and deletes it; the password is never shown', async () => {
    const page = await openPage(PHONE);
    await signIn(page, DEMO.admin.email, DEMO.admin.password);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Trunks' }).click();
    await page.getByText(/^No trunks yet/).waitFor();
    await page.getByRole('link', { name: 'New trunk' }).click();
    const form = page.getByRole('form', { name: 'New trunk' });
    await form.waitFor();

    // Refused by the contract in the browser: sofia ignores gateways with such names.
    await form.getByLabel('Name', { exact: true }).fill('Carrier One');
    await form.getByLabel('Carrier host').fill('sip.carrier.example');
    await form.getByLabel('SIP user name').fill('pbx-main');
    await form.getByRole('button', { name: 'Create trunk' }).click();
    await form.getByText(/^Expected 1-64 lower-case letters/).waitFor();

    // Refused by the API: a registering trunk needs a password, named at its field.
    await form.getByLabel('Name', { exact: true }).fill('carrier-one');
    await form.getByRole('button', { name: 'Create trunk' }).click();
    await form.getByText('A registering trunk needs a password').waitFor();
    await checkPage(page, 'trunk-new-390');

    await form.getByLabel('SIP password').fill(SECRET);
    await form.getByRole('button', { name: 'Create trunk' }).click();
    const edit = page.getByRole('form', { name: 'Edit trunk' });
    await edit.waitFor();
    await edit.getByText('A password is stored; it is never shown.', { exact: false }).waitFor();
    assert.equal(await edit.getByLabel('SIP password').inputValue(), '');
    assert.ok(!(await page.content()).includes(SECRET), 'the password is nowhere in the page');
    const stored = await db.prisma.gateway.findFirstOrThrow({ where: { fsName: 'carrier-one' } });
    assert.ok(stored.passwordEnc && !stored.passwordEnc.includes(SECRET));
    await edit.getByText('Status: No node has reported it yet').waitFor();

    // Changed without touching the password: it stays stored.
    await edit.getByLabel('Description').fill('Main carrier');
    await edit.getByLabel('Port', { exact: true }).fill('5080');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.getByRole('status').getByText('Saved.').waitFor();
    const changed = await db.prisma.gateway.findUniqueOrThrow({ where: { id: stored.id } });
    assert.equal(changed.description, 'Main carrier');
    assert.equal(changed.port, 5080);
    assert.equal(changed.passwordEnc, stored.passwordEnc);
    await checkPage(page, 'trunk-edit-390');

    await page.getByRole('link', { name: /All trunks/ }).click();
    const table = page.getByRole('table', { name: 'Trunks' });
    await table.getByRole('link', { name: 'carrier-one' }).waitFor();
    await table.getByText('sip.carrier.example:5080 (UDP)').waitFor();
    await checkPage(page, 'trunks-390');

    await table.getByRole('link', { name: 'carrier-one' }).click();
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await page.getByRole('button', { name: 'Delete trunk' }).click();
    await page.getByText(/^No trunks yet/).waitFor();
    assert.match(asked[0] ?? '', /^Delete the trunk carrier-one\?/);
    assert.equal(await db.prisma.gateway.findUnique({ where: { id: stored.id } }), null);
    await closePage(page);
  });

  test('a tenant admin is told the page is for administrators', async () => {
    const page = await adminOn('/trunks', PHONE);
    await page.getByText('This page is for administrators').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Trunks' }).count(), 0);
    await closePage(page);
  });
});

void describe('a tenant’s trunks in order', () => {
  test('a platform admin sets them first choice first; the tenant admin reads them', async () => {
    const tenant = await db.prisma.tenant.findUniqueOrThrow({ where: { domain: DEMO.tenant.domain } });
    const [first, second] = await Promise.all(
      ['order-a', 'order-b'].map((fsName) =>
        db.prisma.gateway.create({ data: { fsName, host: `${fsName}.carrier.example` } }),
      ),
    );
    assert.ok(first && second);
    const page = await openPage(PHONE);
    await signIn(page, DEMO.admin.email, DEMO.admin.password);
    await page.getByRole('button', { name: 'Menu' }).waitFor();
    await page.goto(`${portal}/t/${tenant.id}/settings`);
    const section = page.getByRole('region', { name: 'Trunks' });
    await section.getByText(/^No trunks yet/).waitFor();
    for (const name of ['order-a', 'order-b']) {
      await section.getByRole('textbox', { name: 'Add a trunk' }).click();
      await page.getByRole('option', { name, exact: true }).click();
    }
    await section.getByRole('button', { name: 'Move order-b up' }).click();
    const list = section.getByRole('list', { name: 'Trunks, first choice first' });
    assert.deepEqual(
      await list
        .getByRole('listitem')
        .getByText(/^order-/)
        .allInnerTexts(),
      ['order-b', 'order-a'],
    );
    await checkPage(page, 'tenant-trunks-390');
    await section.getByRole('button', { name: 'Save trunks' }).click();
    await section.getByRole('status').getByText('Saved.').waitFor();
    const stored = await db.prisma.tenantGateway.findMany({
      where: { tenantId: tenant.id },
      orderBy: { position: 'asc' },
    });
    assert.deepEqual(
      stored.map((s) => s.gatewayId),
      [second.id, first.id],
    );
    await closePage(page);

    const own = await adminOn(`/t/${tenant.id}/settings`, PHONE);
    const theirs = own.getByRole('region', { name: 'Trunks' });
    await theirs.getByRole('list', { name: 'Trunks, first choice first' }).waitFor();
    assert.deepEqual(await theirs.getByRole('listitem').allInnerTexts(), ['order-b', 'order-a']);
    assert.equal(await theirs.getByRole('button').count(), 0);
    await closePage(own);
  });
});
