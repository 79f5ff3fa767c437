// The portal's routing, voicemail, call history and audit pages (issue #17) in headless Chromium against the real
// API: a time condition's weekly schedule and holidays edited; a voicemail played, marked and e-mailed again; call
// history filtered and exported as CSV; a tenant user refused on these pages; at 390 px no horizontal scroll, no
// axe-core violations and no console errors, with a screenshot of each page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
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
const box = await db.prisma.voicemailBox.findFirstOrThrow({
  where: { tenantId: tenant.id, number: DEMO.voicemail.number },
});
const t = `${portal}/t/${tenant.id}`;

// A real recording of speech (espeak-ng), as the voicemail message's audio and as an uploaded greeting.
const work = await mkdtemp(join(tmpdir(), 'pbx-portal-audio-'));
after(() => rm(work, { recursive: true, force: true }));
const speech = join(work, 'message.wav');
execFileSync('espeak-ng', ['-w', speech, 'Hello, this is Dave. Please call me back.'], { stdio: 'ignore' });
const message = await db.prisma.voicemailMessage.create({
  data: {
    tenantId: tenant.id,
    boxId: box.id,
    callUuid: 'portal-vm-1',
    callerIdName: 'Dave Customer',
    callerIdNumber: '+442079460000',
    durationSec: 3,
    filePath: speech,
    sizeBytes: (await stat(speech)).size,
    emailState: 'FAILED',
    emailAttempts: 3,
    emailError: '550 mailbox unavailable',
  },
});

// Calls of two days: answered inbound to the DID, a missed inbound, an internal one.
const at = (iso: string, sec: number) => ({
  startedAt: new Date(iso),
  endedAt: new Date(new Date(iso).getTime() + sec * 1000),
  durationSec: sec,
});
await db.prisma.cdr.createMany({
  data: [
    {
      tenantId: tenant.id,
      callUuid: 'c1',
      direction: 'INBOUND',
      fromNumber: '+447700900001',
      fromName: 'Erin, "Big" Buyer',
      toNumber: '1001',
      did: DEMO.did.e164,
      extensionNumber: '1001',
      ...at('2026-11-02T10:00:00Z', 95),
      answeredAt: new Date('2026-11-02T10:00:04Z'),
      billsec: 91,
      hangupCause: 'NORMAL_CLEARING',
    },
    {
      tenantId: tenant.id,
      callUuid: 'c2',
      direction: 'INBOUND',
      fromNumber: '+447700900002',
      fromName: '',
      toNumber: '1001',
      did: DEMO.did.e164,
      extensionNumber: '1001',
      ...at('2026-11-02T11:00:00Z', 30),
      billsec: 0,
      hangupCause: 'NO_ANSWER',
    },
    {
      tenantId: tenant.id,
      callUuid: 'c3',
      direction: 'INTERNAL',
      fromNumber: '1002',
      fromName: 'Bob Sales',
      toNumber: '1003',
      extensionNumber: '1003',
      ...at('2026-11-05T09:00:00Z', 20),
      answeredAt: new Date('2026-11-05T09:00:02Z'),
      billsec: 18,
      hangupCause: 'NORMAL_CLEARING',
    },
  ],
});

async function checkPage(page: Tab, name: string): Promise<void> {
  assert.equal(await horizontalOverflow(page), 0, `${name}: no horizontal scroll`);
  assert.deepEqual(await accessibilityViolations(page), [], `${name}: axe-core`);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function pick(page: Tab, label: string, option: string): Promise<void> {
  await page.getByRole('textbox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function admin(viewport?: { width: number; height: number }): Promise<Tab> {
  const page = await openPage(viewport);
  await signIn(page, DEMO.tenantAdmin.email, DEMO.tenantAdmin.password);
  await page.getByTestId('whoami').waitFor({ state: 'attached' });
  return page;
}

void describe('portal: routing, voicemail, call history, audit', () => {
  test('a tenant admin makes business hours with a holiday, sees a wrong time named at the field, and edits it', async () => {
    const page = await admin();
    await page.getByRole('link', { name: 'Time conditions' }).click();
    await page.getByText('No time conditions yet').waitFor();
    await page.getByRole('link', { name: 'New time condition' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Business hours');
    await pick(page, 'While open, calls go to: which', '1001 · Alice Reception');
    await pick(page, 'While closed, calls go to: which', `${DEMO.voicemail.number} · ${DEMO.voicemail.name}`);
    await page.getByText(`tenant’s time zone, ${DEMO.tenant.timeZone}`).waitFor();
    await page.getByRole('button', { name: 'Monday to Friday, 9 to 5' }).click();
    assert.equal(await page.getByTestId('open-hours').count(), 5);
    await page.getByRole('button', { name: 'Add holiday' }).click();
    await page.getByLabel('Holiday 1 date').fill('2026-12-25');
    await page.getByLabel('Holiday 1 name').fill('Christmas Day');
    await page.getByRole('button', { name: 'Create time condition' }).click();
    await page.getByRole('button', { name: 'Save time condition' }).waitFor();

    // Friday closes early; a close before the opening is refused at that row, in words.
    await page.getByLabel('Day 5 closes').fill('08:00');
    await page.getByRole('button', { name: 'Save time condition' }).click();
    await page.getByText('Closes before it opens').waitFor();
    assert.match((await page.getByLabel('Day 5 closes').getAttribute('aria-invalid')) ?? '', /true/);
    await page.getByLabel('Day 5 closes').fill('13:30');
    await page.getByRole('button', { name: 'Remove day 1' }).click();
    await page.getByRole('button', { name: 'Save time condition' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();

    const saved = await db.prisma.timeCondition.findFirstOrThrow({
      where: { tenantId: tenant.id, name: 'Business hours' },
      include: { ranges: true, holidays: true },
    });
    const friday = saved.ranges.find((r) => r.dayOfWeek === 5);
    assert.equal(saved.ranges.length, 4, 'Monday removed');
    assert.deepEqual([friday?.startMinute, friday?.endMinute], [540, 810]);
    assert.deepEqual(
      saved.holidays.map((h) => [h.date.toISOString().slice(0, 10), h.name]),
      [['2026-12-25', 'Christmas Day']],
    );
    await page.reload();
    assert.equal(await page.getByLabel('Day 4 closes').inputValue(), '13:30');
    await page.screenshot({ path: join(SHOTS, 'time-condition.png'), fullPage: true });
    await closePage(page);
  });

  test('a tenant admin plays a voicemail (marked read), e-mails it again after a failure, and uploads a greeting', async () => {
    const page = await admin();
    await page.getByRole('link', { name: 'Voicemail' }).click();
    await page.getByRole('link', { name: DEMO.voicemail.number, exact: true }).click();
    const row = page.getByTestId('voicemail-message');
    await row.getByText('New · Dave Customer').waitFor();
    await row.getByText('e-mail failed: 550 mailbox unavailable').waitFor();

    await row.getByRole('button', { name: 'Play message from Dave Customer' }).click();
    const audio = page.getByTestId('voicemail-audio');
    await audio.waitFor();
    // The browser decoded the API's audio: it knows how long the message is.
    await page.waitForFunction(() => {
      const el = (
        globalThis as unknown as { document: { querySelector(s: string): { duration: number } | null } }
      ).document.querySelector('[data-testid="voicemail-audio"]');
      return el !== null && Number.isFinite(el.duration) && el.duration > 1;
    });
    await row.getByRole('button', { name: 'Mark unread' }).waitFor();
    assert.notEqual(
      (await db.prisma.voicemailMessage.findUniqueOrThrow({ where: { id: message.id } })).readAt,
      null,
    );

    await row.getByRole('button', { name: 'Send e-mail again' }).click();
    await row.getByText('e-mail being sent').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: 'Download' }).click(),
    ]);
    assert.deepEqual(
      await readFile((await download.path()) ?? ''),
      await readFile(speech),
      'the download is the recording',
    );

    const greetings = page.getByRole('region', { name: 'Greetings' });
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      greetings.getByLabel('When not answered: upload (WAV, MP3 or OGG)').click(),
    ]);
    await chooser.setFiles(speech);
    await greetings.getByRole('button', { name: 'Upload', exact: true }).first().click();
    await greetings
      .getByText(/recorded, updated/)
      .waitFor({ timeout: 15_000 })
      .catch(async (e: unknown) => {
        throw new Error(`${String(e)}\n${await greetings.innerText()}`);
      });
    await greetings.getByRole('button', { name: 'Play', exact: true }).click();
    await greetings.getByLabel('When not answered greeting playback').waitFor();
    await page.screenshot({ path: join(SHOTS, 'voicemail-box.png'), fullPage: true });
    await closePage(page);
  });

  test('a tenant admin filters call history and exports the same calls as CSV', async () => {
    const page = await admin();
    await page.getByRole('link', { name: 'Call history' }).click();
    await page.getByTestId('cdr-count').getByText('3 calls').waitFor();
    await page.getByLabel('From (day)').fill('2026-11-02');
    await page.getByLabel('To (day, included)').fill('2026-11-02');
    await pick(page, 'Answered', 'Missed');
    await page.getByRole('button', { name: 'Show calls' }).click();
    await page.getByTestId('cdr-count').getByText('1 call').waitFor();
    await page.getByTestId('cdr').getByText('missed').waitFor();
    assert.match(new URL(page.url()).search, /answered=false/, 'the filter is in the URL');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const csv = (await readFile((await download.path()) ?? '', 'utf8')).trimEnd().split('\r\n');
    assert.equal(csv.length, 2, 'a header and the one filtered call');
    assert.ok(csv[1]?.includes(',c2,'));

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Phone number contains').fill('9000 01');
    await page.getByRole('button', { name: 'Show calls' }).click();
    await page.getByText('Expected digits of a phone number, optionally starting with +').waitFor();
    await page.getByLabel('Phone number contains').fill('900001');
    await page.getByRole('button', { name: 'Show calls' }).click();
    await page.getByTestId('cdr-count').getByText('1 call').waitFor();
    await page.getByText('Erin, "Big" Buyer').waitFor();
    await page.screenshot({ path: join(SHOTS, 'call-history.png'), fullPage: true });
    await closePage(page);
  });

  test('a tenant user sees none of these pages and no links to them', async () => {
    const bob = await db.prisma.extension.findFirstOrThrow({
      where: { tenantId: tenant.id, number: '1002' },
    });
    const user = { email: 'bob.routing@demo.pbx.local', password: 'bob-routing-password' };
    const a = await admin();
    const made = await a.evaluate(
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
        body: { ...user, name: 'Bob', role: 'TENANT_USER', extensionId: bob.id },
      },
    );
    assert.equal(made, 201);
    await closePage(a);

    const page = await openPage();
    await signIn(page, user.email, user.password);
    await page.getByRole('heading', { name: /My phone/ }).waitFor();
    for (const label of [
      'Voicemail',
      'Numbers',
      'Ring groups',
      'Time conditions',
      'Call history',
      'Audit log',
    ])
      assert.equal(await page.getByRole('link', { name: label }).count(), 0, `no ${label} link`);
    for (const path of [
      'voicemail',
      `voicemail/${box.id}`,
      'numbers',
      'ring-groups',
      'time-conditions',
      'calls',
      'audit-log',
    ]) {
      await page.goto(`${t}/${path}`);
      await page.getByText('This page is for administrators').waitFor();
      assert.equal(await page.getByRole('table').count(), 0, `${path}: nothing of the page is shown`);
    }
    await closePage(page);
  });

  test('the routing, voicemail, history and audit pages at 390 px', async () => {
    const page = await admin({ width: 390, height: 844 });
    const visit = async (path: string, ready: () => Promise<void>, name: string) => {
      await page.goto(`${t}/${path}`);
      await ready();
      await checkPage(page, name);
    };
    await visit('numbers', () => page.getByTestId('number').first().waitFor(), 'numbers-390');
    await page.getByRole('button', { name: `Change ${DEMO.did.e164}` }).click();
    await pick(page, 'Calls go to', 'Ring group');
    await checkPage(page, 'number-edit-390');
    await visit(
      'ring-groups/new',
      () => page.getByRole('form', { name: 'Ring group' }).waitFor(),
      'ring-group-390',
    );
    await page.getByLabel('Name', { exact: true }).fill('Sales team');
    await page.getByRole('button', { name: 'Add member' }).click();
    await pick(page, 'Member 1', '1002 · Bob Sales');
    await page.getByRole('button', { name: 'Add member' }).click();
    await pick(page, 'Member 2', '1003 · Carol Support');
    await pick(page, 'How the phones ring', 'One after another');
    await page.getByRole('button', { name: 'Create ring group' }).click();
    await page.getByRole('button', { name: 'Save ring group' }).waitFor();
    await checkPage(page, 'ring-group-saved-390');
    await visit(
      'ring-groups',
      () => page.getByRole('table', { name: 'Ring groups' }).waitFor(),
      'ring-groups-390',
    );
    await visit(
      'time-conditions',
      () => page.getByRole('table', { name: 'Time conditions' }).waitFor(),
      'time-conditions-390',
    );
    await page.getByRole('link', { name: 'Business hours' }).click();
    await page.getByRole('form', { name: 'Time condition' }).waitFor();
    await checkPage(page, 'time-condition-390');
    await visit(
      'voicemail',
      () => page.getByRole('table', { name: 'Voicemail boxes' }).waitFor(),
      'voicemail-boxes-390',
    );
    await visit(
      `voicemail/${box.id}`,
      () => page.getByTestId('voicemail-message').first().waitFor(),
      'voicemail-box-390',
    );
    await visit('calls', () => page.getByRole('table', { name: 'Calls' }).waitFor(), 'call-history-390');
    await visit('audit-log', () => page.getByRole('table', { name: 'Audit log' }).waitFor(), 'audit-log-390');
    await page.getByTestId('audit-entry').getByText('ring-group.create').first().waitFor();
    await closePage(page);
  });
});
