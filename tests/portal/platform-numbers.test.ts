// A tenant's phone numbers from the platform's side (issue #17) in headless Chromium against the real API: a
// platform admin adds a number (the contract's and the API's refusals shown at the field), points it elsewhere and
// releases it after a confirmation naming it; the tenant's own admin, whom the API refuses both, sees neither.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO } from '@pbx/db/seed';
import { adminOn, checkPage, PHONE } from './checks.js';
import { closePage, db, openPage, portal, signIn, type Tab } from './harness.js';

const tenant = await db.prisma.tenant.findUniqueOrThrow({ where: { domain: DEMO.tenant.domain } });
const numbersUrl = `${portal}/t/${tenant.id}/numbers`;
const NEW = '+442071838799';
const [alice, bob] = DEMO.extensions;

async function pick(page: Tab, label: string, option: string): Promise<void> {
  await page.getByRole('textbox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The messages Mantine ties to an input (aria-describedby): an error there is the field's own. */
async function describedBy(page: Tab, label: string): Promise<string> {
  const field = page.getByLabel(label, { exact: true });
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
  return texts.join(' | ');
}

void describe('numbers for platform admins', () => {
  test('a platform admin adds a number, points it and releases it', async () => {
    const page = await openPage(PHONE);
    await signIn(page, DEMO.admin.email, DEMO.admin.password);
    await page.getByRole('button', { name: 'Menu' }).waitFor();
    await page.goto(numbersUrl);
    await page.getByTestId('number').first().waitFor();
    await page.getByRole('button', { name: 'Add number' }).click();
    const form = page.getByRole('form', { name: 'Add number' });
    await form.waitFor();

    // Refused by the contract in the browser, and nothing is sent: not an E.164 number.
    await form.getByLabel('Number (E.164)').fill('02071838799');
    await pick(page, 'Calls go to: which', `${alice.number} · ${alice.displayName}`);
    await form.getByRole('button', { name: 'Add' }).click();
    await form.getByText('Expected an E.164 number such as +493012345678').waitFor();
    assert.match(await describedBy(page, 'Number (E.164)'), /Expected an E\.164 number/);

    // Refused by the API: a number already assigned (here, the tenant's own main line), named at its field.
    await form.getByLabel('Number (E.164)').fill(DEMO.did.e164);
    await form.getByRole('button', { name: 'Add' }).click();
    await form.getByText(`${DEMO.did.e164} is already assigned`).waitFor();
    assert.match(await describedBy(page, 'Number (E.164)'), /is already assigned/);
    await checkPage(page, 'number-add-390');

    await form.getByLabel('Number (E.164)').fill(NEW);
    await form.getByLabel('Description').fill('Sales line');
    await form.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('status').getByText(`${NEW} added.`).waitFor();
    const row = page.getByTestId('number').filter({ hasText: NEW });
    await row.getByText(`Rings: Extension · ${alice.number} · ${alice.displayName}`).waitFor();
    const added = await db.prisma.inboundNumber.findUniqueOrThrow({ where: { e164: NEW } });
    assert.equal(added.tenantId, tenant.id);
    assert.equal(added.description, 'Sales line');

    // Pointed elsewhere with the same row the tenant admin uses.
    await row.getByRole('button', { name: `Change ${NEW}` }).click();
    await pick(page, 'Calls go to: which', `${bob.number} · ${bob.displayName}`);
    await page
      .getByRole('form', { name: `Routing of ${NEW}` })
      .getByRole('button', { name: 'Save' })
      .click();
    await row.getByText(`Rings: Extension · ${bob.number} · ${bob.displayName}`).waitFor();
    const bobRow = await db.prisma.extension.findFirstOrThrow({
      where: { tenantId: tenant.id, number: bob.number },
    });
    const pointed = await db.prisma.inboundNumber.findUniqueOrThrow({ where: { e164: NEW } });
    assert.equal(pointed.destValue, bobRow.id);
    await checkPage(page, 'numbers-platform-390');

    // Released after a confirmation that names the number; dismissing it first keeps the number.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await row.getByRole('button', { name: `Release ${NEW}` }).click();
    assert.match(asked[0] ?? '', new RegExp(`^Release \\${NEW}\\?`));
    assert.ok(await db.prisma.inboundNumber.findUnique({ where: { e164: NEW } }));
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await row.getByRole('button', { name: `Release ${NEW}` }).click();
    await row.waitFor({ state: 'detached' });
    assert.match(asked[1] ?? '', new RegExp(`^Release \\${NEW}\\?`));
    assert.equal(await db.prisma.inboundNumber.findUnique({ where: { e164: NEW } }), null);
    // The tenant's other number is untouched.
    await page.getByTestId('number').filter({ hasText: DEMO.did.e164 }).waitFor();
    await closePage(page);
  });

  test('the tenant admin points numbers but gets no Add number or Release', async () => {
    const page = await adminOn(`/t/${tenant.id}/numbers`, PHONE);
    const row = page.getByTestId('number').filter({ hasText: DEMO.did.e164 });
    await row.getByRole('button', { name: `Change ${DEMO.did.e164}` }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add number' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Release/ }).count(), 0);
    await checkPage(page, 'numbers-tenant-admin-390');
    await closePage(page);
  });
});
