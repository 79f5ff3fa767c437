// The IVR runtime over real TCP: scripted callers on the FreeSWITCH double, every path of a menu. Each test waits
// for the applications the controller starts (AppRecorder), never for a time.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { systemActor, updateIvrMenu, type TenantContext } from '@pbx/domain';
import type { FreeswitchDouble } from '@pbx/freeswitch-double';
import { redisNotificationPublisher } from '@pbx/jobs';
import { mediaLayout } from '@pbx/media';
import { createTestDatabase, waitFor } from '@pbx/testing';
import { actionsOf, app, createExtension, createTenant, type Running } from './helpers.js';
import { createMenu, ivrCall, startCallRig, type AppRecorder } from './ivr-harness.js';
import { valueOf } from '@pbx/metrics';

const db = await createTestDatabase();
const DOMAIN = 'ivr-a.test';
const media = mediaLayout(await mkdtemp(join(tmpdir(), 'pbx-ivr-media-')));

void describe('IVR menus over the outbound socket', () => {
  let c: Running;
  let fs: FreeswitchDouble;
  let rec: AppRecorder;
  let port: number;
  let tenantId: string;
  let main: { id: string };
  let sub: { id: string };
  let e1001: { id: string };
  let e1002: { id: string; voicemailBoxId: string | null };
  const call = () => ivrCall(fs, port, { tenantId, menuId: main.id, domain: DOMAIN });
  const pagd = (uuid: string, n: number, signal?: AbortSignal) =>
    rec.started(uuid, 'play_and_get_digits', n, signal);
  /** The file a play_and_get_digits played (its sixth argument). */
  const fileOf = (data: string) => data.split(' ')[5];

  before(async () => {
    ({ c, port, fs, rec } = await startCallRig(db.url, media.root));
    const tenant = await createTenant(c.prisma, DOMAIN);
    tenantId = tenant.id;
    e1001 = await createExtension(c.prisma, tenant, '1001');
    e1002 = await createExtension(c.prisma, tenant, '1002');
    sub = await createMenu(c.prisma, tenantId, {
      name: 'Sales',
      options: [['1', ['EXTENSION', e1002.id]]],
      timeout: ['HANGUP', null],
      invalid: ['HANGUP', null],
    });
    main = await createMenu(c.prisma, tenantId, {
      name: 'Main',
      number: '5000',
      options: [
        ['1', ['EXTENSION', e1001.id]],
        ['2', ['VOICEMAIL', e1002.voicemailBoxId]],
        ['3', ['IVR_MENU', sub.id]],
        ['9', ['HANGUP', null]],
      ],
      timeout: ['EXTENSION', e1002.id],
      invalid: ['HANGUP', null],
      directDial: true,
      maxFailures: 2,
    });
    // Only the sub-menu has an uploaded greeting; the main menu falls back to the spoken default.
    const greeting = media.ivrGreeting(tenantId, sub.id);
    await mkdir(dirname(greeting), { recursive: true });
    await writeFile(greeting, 'RIFF');
    await c.prisma.ivrMenu.update({ where: { id: sub.id }, data: { greetingUpdatedAt: new Date() } });
  });
  after(async () => {
    await fs.close();
    await c.close();
  });

  /**
   * What the tenant's dialplan answers for the transfer the IVR made (with the channel's transfer token, if any); the
   * double posts channel variables for a call of a phone (1001 here), so the caller is a phone of the tenant.
   */
  const lookup = async (destination: string, token?: { uuid: string; value: string }) =>
    actionsOf(
      await c.client.dialplan({
        uuid: token?.uuid ?? '0000aaaa-0000-4000-8000-000000000001',
        destination,
        context: DOMAIN,
        user: '1001',
        domain: DOMAIN,
        callerIdName: 'Caller',
        callerIdNumber: '1001',
        directoryVariables: [
          ['user_context', DOMAIN] as const,
          ...(token ? [['pbx_transfer_token', token.value] as const] : []),
        ],
      }),
      DOMAIN,
    );

  test('an option: the caller is transferred into the tenant context, where the engine rings the extension', async (t) => {
    const k = call();
    const first = await pagd(k.uuid, 1, t.signal);
    assert.equal(fileOf(first.data), media.prompt('ivr-default-greeting'));
    await k.press('1', 0);
    const transfer = await rec.started(k.uuid, 'transfer', 1, t.signal);
    const target = `pbx-go-EXTENSION-${e1001.id}`;
    assert.equal(transfer.data, `${target} XML ${DOMAIN}`);
    const set = rec
      .apps(k.uuid)
      .filter((e) => e.app === 'set')
      .at(-1);
    assert.ok(set?.data.startsWith(`pbx_transfer_token=${target}.`), set?.data);
    await k.ended;
    const token = { uuid: k.uuid, value: (set?.data ?? '').slice('pbx_transfer_token='.length) };
    const routed = await lookup(target, token);
    assert.deepEqual(app(routed, 'bridge').length, 1);
    assert.match(app(routed, 'bridge')[0] ?? '', /user\/1001@ivr-a\.test/);
    // The same token on another channel opens nothing.
    assert.deepEqual(
      app(await lookup(target, { ...token, uuid: '0000aaaa-0000-4000-8000-000000000002' }), 'hangup'),
      ['UNALLOCATED_NUMBER'],
    );
    // A phone dialing the internal number gets nothing.
    assert.deepEqual(app(await lookup(target), 'hangup'), ['UNALLOCATED_NUMBER']);
  });

  test('the voicemail option goes to the box through the engine', async (t) => {
    const k = call();
    await pagd(k.uuid, 1, t.signal);
    await k.press('2', 0);
    const transfer = await rec.started(k.uuid, 'transfer', 1, t.signal);
    const target = `pbx-go-VOICEMAIL-${e1002.voicemailBoxId}`;
    assert.equal(transfer.data, `${target} XML ${DOMAIN}`);
    const set = rec
      .apps(k.uuid)
      .filter((e) => e.app === 'set')
      .at(-1);
    const routed = await lookup(target, { uuid: k.uuid, value: set?.data.split('=')[1] ?? '' });
    assert.ok(app(routed, 'set').includes('pbx_app=voicemail'));
    assert.ok(app(routed, 'set').includes(`pbx_vm_box_id=${e1002.voicemailBoxId}`));
    await k.ended;
  });

  test('time-out: the no-input message, one re-prompt, then the time-out destination', async (t) => {
    const k = call();
    await rec.started(k.uuid, 'transfer', 1, t.signal);
    assert.equal(rec.count(k.uuid, 'play_and_get_digits'), 2);
    assert.deepEqual(
      rec
        .apps(k.uuid)
        .filter((e) => e.app === 'playback')
        .map((e) => e.data),
      [media.prompt('ivr-no-input')],
    );
    assert.equal(rec.apps(k.uuid).at(-1)?.data, `pbx-go-EXTENSION-${e1002.id} XML ${DOMAIN}`);
    await k.ended;
  });

  test('invalid keys: the invalid message, a re-prompt, then the invalid destination (hang-up)', async (t) => {
    const k = call();
    await pagd(k.uuid, 1, t.signal);
    await k.press('7', 0);
    await pagd(k.uuid, 2, t.signal);
    await k.press('4444', 0); // not an extension of the tenant: direct dial refuses it
    await k.ended;
    const apps = rec.apps(k.uuid);
    assert.deepEqual(
      apps.filter((e) => e.app === 'playback').map((e) => e.data),
      [media.prompt('ivr-invalid'), media.prompt('goodbye')],
    );
    assert.equal(apps.filter((e) => e.app === 'transfer').length, 0);
    assert.equal(k.channel.hangupCause, 'NORMAL_CLEARING');
  });

  test('* repeats the menu without counting a failure', async (t) => {
    const k = call();
    await pagd(k.uuid, 1, t.signal);
    await k.press('*', 0);
    await pagd(k.uuid, 2, t.signal);
    await k.press('*', 0);
    await pagd(k.uuid, 3, t.signal);
    await k.press('9', 0);
    await k.ended;
    assert.deepEqual(
      rec
        .apps(k.uuid)
        .filter((e) => e.app === 'playback')
        .map((e) => e.data),
      [media.prompt('goodbye')],
    );
  });

  test('nested menu: its own greeting, # goes back to the parent, an option of the parent still works', async (t) => {
    const k = call();
    await pagd(k.uuid, 1, t.signal);
    await k.press('3', 0);
    const inSub = await pagd(k.uuid, 2, t.signal);
    assert.equal(fileOf(inSub.data), media.ivrGreeting(tenantId, sub.id));
    await k.press('#', 0);
    const back = await pagd(k.uuid, 3, t.signal);
    assert.equal(fileOf(back.data), media.prompt('ivr-default-greeting'));
    await k.press('3', 0);
    await pagd(k.uuid, 4, t.signal);
    await k.press('1', 0);
    const transfer = await rec.started(k.uuid, 'transfer', 1, t.signal);
    assert.equal(transfer.data, `pbx-go-EXTENSION-${e1002.id} XML ${DOMAIN}`);
    await k.ended;
  });

  test('direct dial of an extension of the tenant: transferred to its number', async (t) => {
    const k = call();
    await pagd(k.uuid, 1, t.signal);
    await k.press('1002', 0);
    const transfer = await rec.started(k.uuid, 'transfer', 1, t.signal);
    assert.equal(transfer.data, `1002 XML ${DOMAIN}`);
    assert.equal(
      rec.apps(k.uuid).some((e) => e.app === 'set' && e.data.startsWith('pbx_transfer_token=')),
      false,
    );
    await k.ended;
  });

  test('the caller hangs up mid-prompt: the session ends, nothing is left open', async (t) => {
    const before = await valueOf(c.metrics.outboundSessionsTotal, { app: 'ivr', outcome: 'failed' });
    const k = call();
    await pagd(k.uuid, 1, t.signal);
    k.hangup();
    await k.ended;
    const server = c.outbound?.server;
    assert.ok(server);
    await waitUntil(() => c.outbound?.sessions() === 0 && server.openSockets === 0, t.signal);
    assert.equal(await valueOf(c.metrics.outboundSessionsTotal, { app: 'ivr', outcome: 'failed' }), before);
    assert.equal(rec.count(k.uuid, 'transfer'), 0);
  });

  // Menus are kept per tenant snapshot (run-ivr.ts): a write through the domain announces the change, the snapshot is
  // replaced, and the next caller reads the menu again. Last in this file: it changes option 1.
  test('a menu changed through the domain: the next caller follows the new option', async (t) => {
    const first = call();
    await pagd(first.uuid, 1, t.signal);
    await first.press('1', 0);
    const before = await rec.started(first.uuid, 'transfer', 1, t.signal);
    assert.equal(before.data, `pbx-go-EXTENSION-${e1001.id} XML ${DOMAIN}`);
    await first.ended;

    const cached = await c.cache.getByDomain(DOMAIN);
    const notify = redisNotificationPublisher(c.publisher, c.prefix, () => ({ error: () => undefined }));
    const ctx: TenantContext = {
      db: c.prisma,
      notify,
      actor: { ...systemActor, role: 'TENANT_ADMIN', tenantId },
      tenantId,
      domain: DOMAIN,
    };
    await updateIvrMenu(ctx, main.id, {
      options: [
        { digits: '1', destination: { type: 'EXTENSION', value: e1002.id } },
        { digits: '9', destination: { type: 'HANGUP' } },
      ],
    });
    await waitFor(
      'the tenant snapshot to be replaced',
      async () => (await c.cache.getByDomain(DOMAIN)) !== cached,
      t.signal,
    );

    const second = call();
    await pagd(second.uuid, 1, t.signal);
    await second.press('1', 0);
    const after = await rec.started(second.uuid, 'transfer', 1, t.signal);
    assert.equal(after.data, `pbx-go-EXTENSION-${e1002.id} XML ${DOMAIN}`);
    await second.ended;
  });
});

const waitUntil = (check: () => boolean, signal: AbortSignal) =>
  waitFor('the outbound sessions to close', check, signal);
