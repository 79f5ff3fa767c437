// The admin portal (issue #17) in headless Chromium against the real API: sign-in and lockout, the platform
// admin's tenants, extensions with their one-time credentials, an IVR menu tried in the explainer, what a tenant
// user may see, and, on the main pages, a phone-sized viewport, axe-core and no console errors.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEMO } from '@pbx/db/seed';
import {
  accessibilityViolations,
  closePage,
  db,
  horizontalOverflow,
  openPage,
  portal,
  SHOTS,
  signIn,
  type Tab,
} from './harness.js';

const tenant = await db.prisma.tenant.findUniqueOrThrow({ where: { domain: DEMO.tenant.domain } });
const USER = { email: 'bob@demo.pbx.local', password: 'bob-portal-password' };

/** Checks a page as a phone shows it: no horizontal scroll, no axe violations; saves a screenshot. */
async function checkPage(page: Tab, name: string): Promise<void> {
  assert.equal(await horizontalOverflow(page), 0, `${name}: no horizontal scroll`);
  assert.deepEqual(await accessibilityViolations(page), [], `${name}: axe-core`);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

void describe('portal', () => {
  test('a wrong password is refused in words; repeated failures show "locked until"', async () => {
    const page = await openPage();
    await signIn(page, DEMO.admin.email, 'not-the-password');
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /wrong e-mail or password/i);
    assert.equal(await page.getByTestId('whoami').count(), 0);
    await page.screenshot({ path: join(SHOTS, 'sign-in-refused.png') });
    for (let i = 0; i < 3; i++) {
      await page.getByLabel('E-mail').fill('nobody@demo.pbx.local');
      await page.getByLabel('Password', { exact: true }).fill('guess');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
    }
    await page.getByText(/locked until/).waitFor();
    await closePage(page);
  });

  test('the platform admin sees the tenants and opens any tenant', async () => {
    const page = await openPage();
    await signIn(page, DEMO.admin.email, DEMO.admin.password);
    await page.getByTestId('whoami').waitFor();
    assert.match(await page.getByTestId('whoami').innerText(), /admin@pbx\.local · platform admin/);
    await page.getByRole('link', { name: DEMO.tenant.name }).click();
    const table = page.getByRole('table', { name: 'Extensions' });
    await table.waitFor();
    for (const ext of DEMO.extensions) await table.getByText(ext.displayName).waitFor();
    assert.equal(new URL(page.url()).pathname, `/t/${tenant.id}/extensions`);
    await closePage(page);
  });

  test('a tenant admin creates an extension and sees its credentials once; a taken number is named at the field', async () => {
    const page = await openPage();
    await signIn(page, DEMO.tenantAdmin.email, DEMO.tenantAdmin.password);
    await page.getByRole('table', { name: 'Extensions' }).waitFor();
    await page.getByLabel('Number', { exact: true }).fill('1042');
    await page.getByLabel('Display name').fill('Dana Desk');
    await page.getByRole('button', { name: 'Create extension' }).click();
    const creds = page.getByTestId('sip-credentials');
    await creds.waitFor();
    const password = (await page.getByTestId('sip-password').innerText()).trim();
    assert.ok(password.length >= 16, `a strong password is shown: ${password}`);
    assert.equal((await page.getByTestId('sip-user').innerText()).trim(), '1042');
    await creds.getByRole('img', { name: /QR code/ }).waitFor();
    await creds.getByRole('button', { name: 'Copy password' }).waitFor();
    await page.getByRole('table', { name: 'Extensions' }).getByText('Dana Desk').waitFor();
    await page.screenshot({ path: join(SHOTS, 'extension-credentials.png'), fullPage: true });

    await page.getByLabel('Number', { exact: true }).fill('1042');
    await page.getByLabel('Display name').fill('Again');
    await page.getByRole('button', { name: 'Create extension' }).click();
    // Mantine ties the message to its input (aria-describedby): the error is next to the field.
    const number = page.getByRole('textbox', { name: 'Number', exact: true });
    await page.getByText('Number 1042 is already used in this tenant').waitFor();
    assert.match((await number.getAttribute('aria-invalid')) ?? '', /true/);

    await page.reload();
    await page.getByRole('table', { name: 'Extensions' }).getByText('Dana Desk').waitFor();
    assert.ok(!(await page.content()).includes(password), 'the password is never shown again');

    await page.getByRole('link', { name: '1042' }).click();
    await page.getByLabel('Display name').fill('Dana Front Desk');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await closePage(page);
  });

  test('a tenant admin builds an IVR menu with two options and a spoken greeting, and tries it', async () => {
    const page = await openPage();
    await signIn(page, DEMO.tenantAdmin.email, DEMO.tenantAdmin.password);
    await page.getByRole('link', { name: 'IVR menus' }).click();
    await page.getByRole('link', { name: 'New menu' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Front desk');
    await page.getByLabel('Number (optional)').fill('5100');
    const pick = async (label: string, option: string) => {
      await page.getByRole('textbox', { name: label, exact: true }).click();
      await page.getByRole('option', { name: option, exact: true }).click();
    };
    await page.getByRole('button', { name: 'Add option' }).click();
    await pick('Key 1 goes to: which', '1001 · Alice Reception');
    await page.getByRole('button', { name: 'Add option' }).click();
    await pick('Key 2 goes to', 'Voicemail box');
    await pick('Key 2 goes to: which', `${DEMO.voicemail.number} · ${DEMO.voicemail.name}`);
    await page.getByRole('button', { name: 'Create menu' }).click();
    await page.getByRole('form', { name: 'Try it' }).waitFor();

    await page
      .getByLabel('Or type what callers should hear')
      .fill('Welcome. For reception press 1, to leave a message press 2.');
    await page.getByRole('button', { name: 'Use this text' }).click();
    await page.getByRole('button', { name: 'Play greeting' }).click();
    await page.getByTestId('greeting-audio').waitFor();

    await page.getByLabel('Presses').fill('2');
    await page.getByRole('button', { name: 'Try it' }).click();
    const result = page.getByTestId('explain-result');
    await result.waitFor();
    const text = await result.innerText();
    assert.match(text, /IVR menu Front desk/);
    assert.match(text, /pressed 2 \(option\)/);
    assert.match(text, new RegExp(`voicemail box ${DEMO.voicemail.number}`));
    await page.screenshot({ path: join(SHOTS, 'ivr-menu.png'), fullPage: true });
    await closePage(page);
  });

  test('a tenant user sees only their own phone and cannot open admin pages', async () => {
    const admin = await openPage();
    await signIn(admin, DEMO.tenantAdmin.email, DEMO.tenantAdmin.password);
    await admin.getByRole('table', { name: 'Extensions' }).waitFor();
    const bob = await db.prisma.extension.findFirstOrThrow({
      where: { tenantId: tenant.id, number: '1002' },
    });
    const made = await admin.evaluate(
      async ({ url, body }) =>
        (
          await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).status,
      {
        url: `/v1/tenants/${tenant.id}/users`,
        body: { ...USER, name: 'Bob', role: 'TENANT_USER', extensionId: bob.id },
      },
    );
    assert.equal(made, 201);
    await closePage(admin);

    const page = await openPage();
    await signIn(page, USER.email, USER.password);
    await page.getByRole('heading', { name: /My phone · extension 1002/ }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Extensions' }).count(), 0);
    await page.goto(`${portal}/t/${tenant.id}/extensions`);
    await page.getByText('This page is for administrators').waitFor();
    assert.equal(await page.getByRole('table', { name: 'Extensions' }).count(), 0);
    await closePage(page);
  });

  test('a user changes their own password: a wrong current one is named at the field, the new one signs in', async () => {
    const carol = { email: 'carol@demo.pbx.local', password: 'carol-first-password' };
    const admin = await openPage();
    await signIn(admin, DEMO.tenantAdmin.email, DEMO.tenantAdmin.password);
    await admin.getByRole('table', { name: 'Extensions' }).waitFor();
    const made = await admin.evaluate(
      async ({ url, body }) =>
        (
          await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).status,
      { url: `/v1/tenants/${tenant.id}/users`, body: { ...carol, name: 'Carol', role: 'TENANT_ADMIN' } },
    );
    assert.equal(made, 201);
    await closePage(admin);

    const page = await openPage();
    await signIn(page, carol.email, carol.password);
    await page.getByRole('link', { name: 'Password' }).click();
    const form = page.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password').fill('not-my-password');
    await form.getByLabel('New password').fill('carol-second-password');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText(/current password is wrong/i).waitFor();
    await form.getByLabel('Current password').fill(carol.password);
    await form.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').getByText('Your password was changed').waitFor();
    assert.deepEqual(page.errors, []);
    await closePage(page);

    const again = await openPage();
    await signIn(again, carol.email, 'carol-second-password');
    await again.getByRole('table', { name: 'Extensions' }).waitFor();
    await closePage(again);
  });

  test('the main pages at 390 px: no horizontal scroll, no axe-core violations, no console errors', async () => {
    const phone = { width: 390, height: 844 };
    const login = await openPage(phone);
    await login.goto(portal);
    await login.getByRole('button', { name: 'Sign in' }).waitFor();
    await checkPage(login, 'sign-in-390');
    await closePage(login);

    const platform = await openPage(phone);
    await signIn(platform, DEMO.admin.email, DEMO.admin.password);
    await platform.getByRole('table', { name: 'Tenants' }).waitFor();
    await checkPage(platform, 'tenants-390');
    await platform.getByRole('button', { name: 'Menu' }).click();
    await platform.getByRole('link', { name: 'Tenants' }).waitFor();
    await closePage(platform);

    const page = await openPage(phone);
    await signIn(page, DEMO.tenantAdmin.email, DEMO.tenantAdmin.password);
    await page.getByRole('table', { name: 'Extensions' }).waitFor();
    await checkPage(page, 'extensions-390');
    await page.getByRole('link', { name: '1001' }).click();
    await page.getByRole('form', { name: 'Edit extension' }).waitFor();
    await checkPage(page, 'extension-390');
    await page.goto(`${portal}/t/${tenant.id}/ivr-menus`);
    await page.getByRole('table', { name: 'IVR menus' }).waitFor();
    await checkPage(page, 'ivr-menus-390');
    await page.getByRole('link', { name: DEMO.ivr.name }).click();
    await page.getByRole('form', { name: 'Try it' }).waitFor();
    await checkPage(page, 'ivr-menu-390');
    await closePage(page);
  });
});
