// The outbound socket as a whole: which calls get a session (only what our dialplan set is trusted; a menu of
// another tenant is refused), two FreeSWITCH nodes, 1,000 callers hanging up at random points, graceful stop.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { OutboundCall } from '@pbx/esl';
import { startFreeswitchDouble, type FreeswitchDouble } from '@pbx/freeswitch-double';
import { mediaLayout } from '@pbx/media';
import { createTestDatabase, waitFor } from '@pbx/testing';
import { ivrHandler } from '../src/ivr/run-ivr.js';
import type { SessionHandler } from '../src/outbound/dispatch.js';
import { transferTokens } from '../src/xml-curl/transfer-token.js';
import { createExtension, createTenant, startController, XML_PASSWORD, type Running } from './helpers.js';
import { AppRecorder, createMenu, ivrCall } from './ivr-harness.js';
import { valueOf } from '@pbx/metrics';

const db = await createTestDatabase();
const media = mediaLayout(await mkdtemp(join(tmpdir(), 'pbx-outbound-media-')));

/** A small deterministic generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

void describe('outbound-socket sessions', () => {
  let c: Running;
  let fs: FreeswitchDouble;
  let fs2: FreeswitchDouble;
  let rec: AppRecorder;
  let rec2: AppRecorder;
  let port: number;
  const a = { id: '', menu: '' };
  const b = { id: '', menu: '' };
  const seen: OutboundCall[] = [];
  let ivr: SessionHandler | undefined;
  const failed = () => valueOf(c.metrics.outboundSessionsTotal, { app: 'ivr', outcome: 'failed' });

  before(async () => {
    c = await startController(
      db.url,
      {},
      {
        outbound: {
          mediaDir: media.root,
          listen: { host: '127.0.0.1', port: 0 },
          // The built-in IVR, watched: every call it served is checked for leftovers.
          handlers: {
            ivr: (call, ctx) => {
              seen.push(call);
              if (!ivr) throw new Error('not ready');
              return ivr(call, ctx);
            },
          },
        },
      },
    );
    ivr = ivrHandler({ prisma: c.prisma, transferTokens: transferTokens(XML_PASSWORD) });
    port = c.outbound?.address.port ?? 0;
    fs = await startFreeswitchDouble({ timing: { playbackMs: 5 }, hostname: 'fs-01' });
    fs2 = await startFreeswitchDouble({ timing: { playbackMs: 5 }, hostname: 'fs-02' });
    rec = new AppRecorder(fs);
    rec2 = new AppRecorder(fs2);
    for (const [t, domain] of [
      [a, 'out-a.test'],
      [b, 'out-b.test'],
    ] as const) {
      const tenant = await createTenant(c.prisma, domain);
      const ext = await createExtension(c.prisma, tenant, '1001');
      const menu = await createMenu(c.prisma, tenant.id, {
        name: 'Main',
        options: [['1', ['EXTENSION', ext.id]]],
        timeout: ['EXTENSION', ext.id],
        invalid: ['HANGUP', null],
      });
      t.id = tenant.id;
      t.menu = menu.id;
    }
  });
  after(async () => {
    await fs.close();
    await fs2.close();
    await c.close();
  });

  const refusedWithPrompt = async (vars: { tenantId: string; menuId: string; app?: string }) => {
    const k = ivrCall(fs, port, vars);
    await k.ended;
    const apps = rec.apps(k.uuid);
    assert.deepEqual(
      apps.filter((e) => e.app === 'playback').map((e) => e.data),
      [media.prompt('error-try-later')],
    );
    assert.equal(rec.count(k.uuid, 'play_and_get_digits'), 0);
    assert.equal(k.channel.hangupCause, 'NORMAL_CLEARING');
  };

  test("a menu of tenant B with tenant A's id is refused (spoken error, no menu)", async (t) => {
    await refusedWithPrompt({ tenantId: a.id, menuId: b.menu });
    // The same menu with its own tenant works.
    const k = ivrCall(fs, port, { tenantId: b.id, menuId: b.menu });
    await rec.started(k.uuid, 'play_and_get_digits', 1, t.signal);
    k.hangup();
    await k.ended;
  });

  test('an unknown tenant, malformed variables, an app with no runtime: the spoken error, then hang-up', async () => {
    await refusedWithPrompt({ tenantId: '7b1c1c8e-0000-4000-8000-000000000000', menuId: a.menu });
    await refusedWithPrompt({ tenantId: 'not-a-uuid', menuId: a.menu });
    await refusedWithPrompt({ tenantId: a.id, menuId: a.menu, app: 'conference' });
  });

  test('pbx_app=voicemail reaches the voicemail runtime: a message left through the controller is saved', async (t) => {
    const box = await c.prisma.voicemailBox.findFirstOrThrow({ where: { tenantId: a.id } });
    const k = fs.placeCall({
      from: '+447700900123',
      to: '*1001',
      domain: 'out-a.test',
      answer: true,
      apps: Object.entries({
        pbx_tenant_id: a.id,
        pbx_app: 'voicemail',
        pbx_vm_action: 'leave',
        pbx_vm_box_id: box.id,
        pbx_vm_box: box.number,
      }).map(([name, value]) => ['set', `${name}=${value}`] as const),
      socket: { host: '127.0.0.1', port },
      says: [{ ms: 3000, then: { press: '#' } }],
    });
    await k.ended;
    await waitFor(
      'the message row',
      async () =>
        (await c.prisma.voicemailMessage.count({ where: { boxId: box.id, callUuid: k.uuid } })) === 1,
      t.signal,
    );
    assert.ok(rec.count(k.uuid, 'record') >= 1);
  });

  test('two FreeSWITCH nodes: calls of both are served side by side', async (t) => {
    const k1 = ivrCall(fs, port, { tenantId: a.id, menuId: a.menu });
    const k2 = ivrCall(fs2, port, { tenantId: b.id, menuId: b.menu });
    await rec.started(k1.uuid, 'play_and_get_digits', 1, t.signal);
    await rec2.started(k2.uuid, 'play_and_get_digits', 1, t.signal);
    await k1.press('1', 0);
    await k2.press('1', 0);
    const [t1, t2] = await Promise.all([
      rec.started(k1.uuid, 'transfer', 1, t.signal),
      rec2.started(k2.uuid, 'transfer', 1, t.signal),
    ]);
    assert.match(t1.data, / XML out-a\.test$/);
    assert.match(t2.data, / XML out-b\.test$/);
    await Promise.all([k1.ended, k2.ended]);
  });

  test('1,000 callers hanging up at random points: every session ends, nothing stays open', async (t) => {
    const failedBefore = await failed();
    const next = random(12);
    const server = c.outbound?.server;
    assert.ok(server);
    for (let batch = 0; batch < 10; batch++) {
      const calls = Array.from({ length: 100 }, () => {
        const k = fs.placeCall({
          from: '+447700900123',
          to: '5000',
          domain: 'out-a.test',
          answer: true,
          apps: [
            ['set', `pbx_tenant_id=${a.id}`],
            ['set', 'pbx_app=ivr'],
            ['set', `pbx_ivr_menu_id=${a.menu}`],
          ],
          socket: { host: '127.0.0.1', port },
          // Some press 1 first (they may be transferred before they hang up), all hang up somewhere.
          ...(next() < 0.5 ? { digits: [{ digit: '1', atMs: Math.floor(next() * 40) }] } : {}),
          hangupAfterMs: Math.floor(next() * 60),
        });
        return k;
      });
      await Promise.all(calls.map((k) => k.ended));
    }
    await waitFor(
      'every outbound session and socket to close',
      () => c.outbound?.sessions() === 0 && server.openSockets === 0 && server.activeCalls === 0,
      t.signal,
    );
    assert.equal(fs.calls().length, 0);
    assert.equal(await failed(), failedBefore);
    for (const call of seen) {
      assert.equal(call.pendingCount, 0);
      assert.equal(call.listenerCount, 0);
    }
  });

  test('graceful stop: no new calls, the call in a menu finishes (no re-prompt) and leaves by its time-out destination', async (t) => {
    const k = ivrCall(fs, port, { tenantId: a.id, menuId: a.menu });
    await rec.started(k.uuid, 'play_and_get_digits', 1, t.signal);
    const server = c.outbound?.server;
    assert.ok(server);
    const drained = server.drain(600_000);
    const late = ivrCall(fs, port, { tenantId: a.id, menuId: a.menu });
    await assert.rejects(late.connected);
    const transfer = await rec.started(k.uuid, 'transfer', 1, t.signal);
    assert.match(transfer.data, /^pbx-go-EXTENSION-/);
    assert.equal(rec.count(k.uuid, 'play_and_get_digits'), 1);
    assert.equal(rec.count(k.uuid, 'playback'), 0);
    assert.deepEqual(await drained, { closed: 0 });
    late.hangup();
  });
});
