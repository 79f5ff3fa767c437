// The tenant admin's dashboard (live calls over the API's event stream), users and API keys, and the platform
// admin's tenant status controls (issue #17), in headless Chromium against the real API; 390 px, axe-core, no
// console errors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO } from '@pbx/db/seed';
import { createTenantResolver, LiveCallStore, RegistrationStore } from '@pbx/events-ingest';
import { adminOn, checkPage, PHONE } from './checks.js';
import { closePage, db, openPage, portal, redis, redisPrefix, signIn } from './harness.js';

const tenant = await db.prisma.tenant.findUniqueOrThrow({ where: { domain: DEMO.tenant.domain } });

// What the controller would write from FreeSWITCH's events, through the same stores.
const tenants = createTenantResolver(db.prisma);
const live = new LiveCallStore({ redis, prefix: redisPrefix, tenants });
const regs = new RegistrationStore({ redis, prefix: redisPrefix, tenants });
const leg = (name: string, uuid: string, from: string, to: string) => ({
  'Event-Name': name,
  'FreeSWITCH-Switchname': 'fs-1',
  'Unique-ID': uuid,
  'Channel-Name': `sofia/internal/${from}@${DEMO.tenant.domain}`,
  'Caller-Caller-ID-Number': from,
  'Caller-Caller-ID-Name': `Ext ${from}`,
  'Caller-Destination-Number': to,
  'Answer-State': 'ringing',
  variable_domain_name: DEMO.tenant.domain,
  variable_user_name: from,
});

void describe('dashboard', () => {
  test('registered phones, and live calls that appear and go while the page is open', async () => {
    await regs.applyRegistrationEvent({
      'Event-Name': 'CUSTOM',
      'Event-Subclass': 'sofia::register',
      'FreeSWITCH-Switchname': 'fs-1',
      'profile-name': 'internal',
      'from-user': '1001',
      'from-host': DEMO.tenant.domain,
      username: '1001',
      realm: DEMO.tenant.domain,
      contact: `"1001" <sip:1001@192.0.2.10:5060;transport=udp>`,
      'call-id': 'dash-1001',
      expires: '3600',
      'network-ip': '192.0.2.10',
      'network-port': '5060',
      'user-agent': 'Desk Phone 1.0',
    });
    await live.applyChannelEvent(leg('CHANNEL_CREATE', 'dash-leg-1', '1001', '1002'));
    const page = await adminOn(`/t/${tenant.id}/dashboard`, PHONE);
    const calls = page.getByRole('table', { name: 'Live calls' });
    await calls.getByText('Ext 1001 (1001)').waitFor();
    await page.getByTestId('stat-Phones registered').getByText('1', { exact: true }).waitFor();
    await page.getByTestId('stat-Calls now').getByText('1', { exact: true }).waitFor();
    await checkPage(page, 'dashboard-390');

    // Changes arrive over the event stream, without reloading.
    await live.applyChannelEvent(leg('CHANNEL_CREATE', 'dash-leg-2', '1003', '+442071838750'));
    await calls.getByText('Ext 1003 (1003)').waitFor();
    await page.getByTestId('stat-Calls now').getByText('2', { exact: true }).waitFor();
    await live.applyChannelEvent(leg('CHANNEL_HANGUP_COMPLETE', 'dash-leg-1', '1001', '1002'));
    await calls.getByText('Ext 1001 (1001)').waitFor({ state: 'detached' });
    await page.getByTestId('stat-Calls now').getByText('1', { exact: true }).waitFor();
    await closePage(page);
  });
});

void describe('platform admin: tenant status', () => {
  test('suspend, reactivate, delete (typed domain), restore, delete again and purge now', async () => {
    const doomed = await db.prisma.tenant.create({ data: { name: 'Doomed Ltd', domain: 'doomed.pbx.test' } });
    const page = await openPage(PHONE);
    await signIn(page, DEMO.admin.email, DEMO.admin.password);
    await page.getByRole('table', { name: 'Tenants' }).waitFor();
    await page.goto(`${portal}/t/${doomed.id}/settings`);
    const status = page.getByTestId('tenant-status');
    const section = page.getByRole('region', { name: 'Tenant status (platform admin)' });
    await status.getByText('Active.').waitFor();
    await checkPage(page, 'tenant-status-390');
    await section.getByRole('button', { name: 'Suspend' }).click();
    await status.getByText(/^Suspended/).waitFor();
    const row = () => db.prisma.tenant.findUnique({ where: { id: doomed.id } });
    assert.equal((await row())?.status, 'SUSPENDED');
    await section.getByRole('button', { name: 'Reactivate' }).click();
    await status.getByText('Active.').waitFor();

    const remove = section.getByRole('button', { name: 'Delete tenant' });
    await section.getByLabel('Type doomed.pbx.test to delete it').fill('doomed');
    assert.equal(await remove.isDisabled(), true, 'disabled until the domain is typed out');
    await section.getByLabel('Type doomed.pbx.test to delete it').fill('doomed.pbx.test');
    await remove.click();
    await status.getByText(/^Deleted/).waitFor();
    assert.ok((await row())?.purgeAt, 'purge scheduled');
    await section.getByRole('button', { name: 'Restore' }).click();
    await status.getByText('Active.').waitFor();
    assert.equal((await row())?.purgeAt, null);

    await section.getByLabel('Type doomed.pbx.test to delete it').fill('doomed.pbx.test');
    await remove.click();
    await section.getByLabel('Type doomed.pbx.test to purge it now').fill('doomed.pbx.test');
    await section.getByRole('button', { name: 'Purge now' }).click();
    await page.getByRole('table', { name: 'Tenants' }).waitFor();
    assert.equal(await row(), null, 'purged');
    await closePage(page);
  });
});

void describe('users and API keys', () => {
  test('a tenant admin adds a phone user for an extension and an API key shown once, then revokes it', async () => {
    const page = await adminOn(`/t/${tenant.id}/users`, PHONE);
    const form = page.getByRole('form', { name: 'New user' });
    await form.waitFor();
    await form.getByLabel('E-mail').fill('Dana@Demo.pbx.local');
    await form.getByLabel('First password').fill('short');
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.getByText('Expected a lower-case e-mail address').waitFor();
    await form.getByText('Expected at least 12 characters').waitFor();
    await form.getByLabel('E-mail').fill('dana@demo.pbx.local');
    await form.getByLabel('First password').fill('dana-first-password');
    await form.getByRole('textbox', { name: 'Their extension' }).click();
    await page.getByRole('option', { name: '1003 · Carol Support' }).click();
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.getByRole('status').getByText('dana@demo.pbx.local can sign in now.').waitFor();
    await page.getByRole('table', { name: 'Users' }).getByText('dana@demo.pbx.local').waitFor();
    await checkPage(page, 'users-390');
    const dana = await db.prisma.user.findUniqueOrThrow({ where: { email: 'dana@demo.pbx.local' } });
    assert.equal(dana.role, 'TENANT_USER');
    assert.equal(
      dana.extensionId,
      (await db.prisma.extension.findFirstOrThrow({ where: { tenantId: tenant.id, number: '1003' } })).id,
    );

    await page.goto(`${portal}/t/${tenant.id}/api-keys`);
    const keyForm = page.getByRole('form', { name: 'New API key' });
    await keyForm.getByLabel('Name').fill('Wallboard');
    await keyForm.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('api-key').innerText()).trim();
    assert.match(key, /^pbx_/);
    await page.getByRole('table', { name: 'API keys' }).getByText('Wallboard').waitFor();
    await checkPage(page, 'api-keys-390');
    await page.getByRole('button', { name: 'Revoke Wallboard' }).click();
    await page.getByRole('table', { name: 'API keys' }).getByText('Wallboard').waitFor({ state: 'detached' });
    const row = await db.prisma.apiKey.findFirstOrThrow({ where: { name: 'Wallboard' } });
    assert.ok(row.revokedAt, 'revoked');
    await closePage(page);
  });
});
