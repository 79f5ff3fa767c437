// Dates on the tenant's clock (issue #17): the portal's one formatting helper, the day boundaries of the call
// history's filter, and, in headless Chromium set to another zone than the tenant's, a known instant shown as the
// tenant's wall-clock time to its admin and to a platform admin.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO } from '@pbx/db/seed';
import { dayIn, dayStartIn, formatDateTime, zonedToIso } from '../../apps/web/src/client/ui/dates.js';
import { closePage, db, openPage, portal, signIn, type Tab } from './harness.js';

const tenant = await db.prisma.tenant.findUniqueOrThrow({ where: { domain: DEMO.tenant.domain } });
assert.equal(tenant.timeZone, 'Europe/London');
// 00:30 on 2 July in London (summer time), still 1 July in Los Angeles, where the browser is.
const CALL = new Date('2026-07-01T23:30:00Z');
const BROWSER = { timezoneId: 'America/Los_Angeles', locale: 'en-GB' };
await db.prisma.cdr.create({
  data: {
    tenantId: tenant.id,
    callUuid: 'tz-1',
    direction: 'INBOUND',
    fromNumber: '+447700900009',
    toNumber: '1001',
    extensionNumber: '1001',
    startedAt: CALL,
    endedAt: new Date(CALL.getTime() + 60_000),
    durationSec: 60,
    billsec: 0,
    hangupCause: 'NORMAL_CLEARING',
  },
});
await db.prisma.auditLog.create({
  data: {
    tenantId: tenant.id,
    actorLabel: 'time zone test',
    action: 'tenant.update-settings',
    entityType: 'tenant',
    entityId: tenant.id,
    createdAt: CALL,
  },
});

async function signedIn(email: string, password: string, path: string): Promise<Tab> {
  const page = await openPage({ width: 1280, height: 900 }, BROWSER);
  await signIn(page, email, password);
  await page.getByTestId('whoami').waitFor();
  await page.goto(`${portal}${path}`);
  return page;
}

void describe('dates on the tenant’s clock', () => {
  test('formatting and day boundaries use the zone given, across daylight-saving changes', () => {
    assert.match(formatDateTime(CALL, 'Europe/London', 'en-GB'), /^2 Jul 2026.*00:30$/);
    assert.match(formatDateTime(CALL, 'America/Los_Angeles', 'en-GB'), /^1 Jul 2026.*16:30$/);
    assert.equal(dayIn(CALL, 'Europe/London'), '2026-07-02');
    assert.equal(dayIn(CALL, 'America/Los_Angeles'), '2026-07-01');
    // London changes to summer time at 01:00 on 29 March 2026: that day starts in GMT, the next in BST.
    assert.equal(dayStartIn('2026-03-29', 'Europe/London'), '2026-03-29T00:00:00.000Z');
    assert.equal(dayStartIn('2026-03-30', 'Europe/London'), '2026-03-29T23:00:00.000Z');
    assert.equal(dayStartIn('2026-11-01', 'America/New_York'), '2026-11-01T04:00:00.000Z');
    assert.equal(dayStartIn('2026-11-02', 'America/New_York'), '2026-11-02T05:00:00.000Z');
    // "to" is the day after, across a month's end; text that is no day is left for the contract to refuse.
    assert.equal(dayStartIn('2026-01-31', 'Asia/Tokyo', 1), '2026-01-31T15:00:00.000Z');
    assert.equal(dayStartIn('yesterday', 'Asia/Tokyo'), 'yesterday');
    // "Try it"'s time: a wall-clock time in the tenant's zone, on either side of a daylight-saving change.
    assert.equal(zonedToIso('2026-12-07T10:00', 'America/New_York'), '2026-12-07T15:00:00.000Z');
    assert.equal(zonedToIso('2026-07-06T10:00', 'America/New_York'), '2026-07-06T14:00:00.000Z');
    assert.equal(zonedToIso('2026-03-29T03:30', 'Europe/London'), '2026-03-29T02:30:00.000Z');
    assert.equal(zonedToIso('monday', 'Europe/London'), null);
  });

  test('call history: the call is shown and filtered on the tenant’s day, not the browser’s', async () => {
    const page = await signedIn(
      DEMO.tenantAdmin.email,
      DEMO.tenantAdmin.password,
      `/t/${tenant.id}/calls?from=2026-07-02&to=2026-07-02`,
    );
    const row = page.getByTestId('cdr');
    await page.getByTestId('cdr-count').getByText('1 call').waitFor();
    assert.match(await row.innerText(), /2 Jul 2026.*00:30/);
    await page.goto(`${portal}/t/${tenant.id}/calls?from=2026-07-01&to=2026-07-01`);
    await page.getByText('No calls match.').waitFor();
    await closePage(page);
  });

  test('audit log, as a platform admin (who reads the tenant for its zone)', async () => {
    const page = await signedIn(DEMO.admin.email, DEMO.admin.password, `/t/${tenant.id}/audit-log`);
    const entry = page.getByTestId('audit-entry').filter({ hasText: 'time zone test' });
    await entry.waitFor();
    assert.match(await entry.innerText(), /2 Jul 2026.*00:30/);
    await closePage(page);
  });
});
