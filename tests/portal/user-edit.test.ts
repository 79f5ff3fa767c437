// A tenant admin's user page (issue #17): from the users list, a phone user is renamed, made an administrator, given
// an extension and a new password (a short one named at the field first), and signs in with it; their sign-in is
// switched off; they are deleted. The last active administrator cannot be switched off, in words on the page.
// At 390 px: no horizontal scroll, no axe-core violations, no console errors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO } from '@pbx/db/seed';
import { hashSecret } from '@pbx/domain/security';
import { adminOn, checkPage, PHONE } from './checks.js';
import { closePage, db, openPage, signIn } from './harness.js';

const tenant = await db.prisma.tenant.findUniqueOrThrow({ where: { domain: DEMO.tenant.domain } });
const erin = await db.prisma.user.create({
  data: {
    tenantId: tenant.id,
    email: 'erin@demo.pbx.local',
    name: 'Erin Phone',
    role: 'TENANT_USER',
    passwordHash: await hashSecret('erin-first-password'),
  },
});
const bob = await db.prisma.extension.findFirstOrThrow({ where: { tenantId: tenant.id, number: '1002' } });

void describe('portal: a tenant admin edits and deletes a user', () => {
  test('rename, promote, extension, new password (then signs in with it), sign-in off, delete; last admin kept', async () => {
    const page = await adminOn(`/t/${tenant.id}/users`, PHONE);
    await page.getByRole('link', { name: 'erin@demo.pbx.local' }).click();
    await page.getByRole('heading', { name: 'Erin Phone' }).waitFor();
    const form = page.getByRole('form', { name: 'User' });
    await form.getByLabel('Name').fill('Erin Front Desk');
    await form.getByRole('textbox', { name: 'Role' }).click();
    await page.getByRole('option', { name: 'Administrator' }).click();
    await form.getByRole('textbox', { name: 'Their extension' }).click();
    await page.getByRole('option', { name: '1002 · Bob Sales' }).click();
    await form.getByLabel('New password').fill('short');
    await form.getByRole('button', { name: 'Save user' }).click();
    await form.getByText('Expected at least 12 characters').waitFor();
    await form.getByLabel('New password').fill('erin-second-password');
    await form.getByRole('button', { name: 'Save user' }).click();
    await form.getByRole('status').getByText('Saved.').waitFor();
    await page.getByRole('heading', { name: 'Erin Front Desk' }).waitFor();
    await checkPage(page, 'user-390');
    const saved = await db.prisma.user.findUniqueOrThrow({ where: { id: erin.id } });
    assert.deepEqual(
      [saved.name, saved.role, saved.extensionId, saved.email],
      ['Erin Front Desk', 'TENANT_ADMIN', bob.id, 'erin@demo.pbx.local'],
    );

    // The new password is the one that works.
    const erinTab = await openPage(PHONE);
    await signIn(erinTab, 'erin@demo.pbx.local', 'erin-second-password');
    await erinTab.getByRole('heading', { name: 'Extensions' }).waitFor();
    await closePage(erinTab);

    await form.getByLabel('May sign in').uncheck();
    await form.getByRole('button', { name: 'Save user' }).click();
    await form.getByRole('status').getByText('Saved.').waitFor();
    assert.equal((await db.prisma.user.findUniqueOrThrow({ where: { id: erin.id } })).disabled, true);

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete user' }).click();
    await page.getByRole('table', { name: 'Users' }).waitFor();
    await page.getByRole('link', { name: DEMO.tenantAdmin.email }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'erin@demo.pbx.local' }).count(), 0);
    assert.equal(await db.prisma.user.findUnique({ where: { id: erin.id } }), null);

    // The owner is now the only active administrator: switching their sign-in off is refused, in words.
    await page.getByRole('link', { name: DEMO.tenantAdmin.email }).click();
    await form.getByLabel('May sign in').uncheck();
    await form.getByRole('button', { name: 'Save user' }).click();
    await form
      .getByRole('alert')
      .getByText('Cannot disable the last active admin', { exact: false })
      .waitFor();
    const owner = await db.prisma.user.findUniqueOrThrow({ where: { email: DEMO.tenantAdmin.email } });
    assert.equal(owner.disabled, false);
    await closePage(page);
  });
});
