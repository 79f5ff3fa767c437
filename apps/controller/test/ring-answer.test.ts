// A ring that is answered: the controller's own dialplan answer for a call to an extension or a ring group,
// executed by the FreeSWITCH double with the callee's phone registered, connects the call, and the B leg carries
// the variables of its leg of the dial string (`pbx_extension`, `leg_timeout`), as on a real FreeSWITCH. Tests wait
// for the bridge, never for a time, and fail at once if the call goes past the bridge instead.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DoubleCall, FreeswitchDouble } from '@pbx/freeswitch-double';
import { mediaLayout } from '@pbx/media';
import { createTestDatabase, waitFor } from '@pbx/testing';
import { createExtension, createTenant, type Running } from './helpers.js';
import { dialThrough, startCallRig, type AppRecorder } from './ivr-harness.js';

const db = await createTestDatabase();
const DOMAIN = 'ring-answer.test';
const media = mediaLayout(await mkdtemp(join(tmpdir(), 'pbx-ring-answer-media-')));

void describe('a ring that is answered', () => {
  let c: Running;
  let fs: FreeswitchDouble;
  let rec: AppRecorder;
  let port: number;
  /** The variables of every event the double fired, per channel: what an event-socket client would see. */
  const seen = new Map<string, Map<string, string>>();

  before(async () => {
    ({ c, port, fs, rec } = await startCallRig(db.url, media.root));
    const broadcast = fs.broadcast.bind(fs);
    fs.broadcast = (ev) => {
      const uuid = ev.get('Unique-ID');
      const pbx = ev.get('variable_pbx_extension');
      const timeout = ev.get('variable_leg_timeout');
      if (uuid) {
        const vars = seen.get(uuid) ?? new Map<string, string>();
        if (pbx !== undefined) vars.set('pbx_extension', pbx);
        if (timeout !== undefined) vars.set('leg_timeout', timeout);
        seen.set(uuid, vars);
      }
      broadcast(ev);
    };
    const tenant = await createTenant(c.prisma, DOMAIN);
    await createExtension(c.prisma, tenant, '1001');
    const e1002 = await createExtension(c.prisma, tenant, '1002');
    const e1003 = await createExtension(c.prisma, tenant, '1003');
    const e1004 = await createExtension(c.prisma, tenant, '1004');
    const e1005 = await createExtension(c.prisma, tenant, '1005');
    const group = async (
      number: string,
      strategy: 'SEQUENTIAL' | 'SIMULTANEOUS',
      members: { id: string }[],
    ) => {
      const rg = await c.prisma.ringGroup.create({
        data: {
          tenantId: tenant.id,
          name: `Group ${number}`,
          number,
          strategy,
          ringTimeoutSec: 20,
          fallbackDestType: 'HANGUP',
        },
      });
      await c.prisma.ringGroupMember.createMany({
        data: members.map((m, i) => ({
          tenantId: tenant.id,
          ringGroupId: rg.id,
          extensionId: m.id,
          position: i + 1,
        })),
      });
    };
    // 1002 and 1003 have a phone registered; 1004 and 1005 do not.
    await group('600', 'SEQUENTIAL', [e1004, e1002]);
    await group('601', 'SIMULTANEOUS', [e1005, e1003]);
    fs.registerPhone({ user: '1002', domain: DOMAIN, callId: 'ring-answer-1002' });
    fs.registerPhone({ user: '1003', domain: DOMAIN, callId: 'ring-answer-1003' });
  });
  after(async () => {
    await fs.close();
    await c.close();
    await db.drop();
  });

  /** 1001 dials `to`: the double runs the controller's answer for that call. */
  const dial = (to: string) => dialThrough({ c, fs, port }, DOMAIN, '1001', to);

  /** Resolves with the bridge's dial string and the B leg's uuid once bridged; fails if the call got past the bridge. */
  const answered = async (call: DoubleCall, signal: AbortSignal) => {
    let ended = false;
    void call.ended.then(() => (ended = true));
    await waitFor(
      `the bridge of ${call.uuid}`,
      () => {
        if (call.channel.vars.get('bridge_uuid') !== undefined) return true;
        const apps = rec.apps(call.uuid);
        const at = apps.findIndex((a) => a.app === 'bridge');
        if (ended || (at >= 0 && apps.length > at + 1))
          assert.fail(
            `not bridged: ${call.channel.vars.get('originate_disposition')} (${JSON.stringify(apps)})`,
          );
        return false;
      },
      signal,
    );
    const dialString = rec.apps(call.uuid).find((a) => a.app === 'bridge')?.data ?? '';
    return { dialString, b: call.channel.vars.get('bridge_uuid') ?? '' };
  };

  const hangUp = async (call: DoubleCall) => {
    call.hangup();
    await call.ended;
  };

  test('an extension whose phone is registered answers; its B leg carries pbx_extension', async (t) => {
    const call = await dial('1003');
    const { dialString, b } = await answered(call, t.signal);
    assert.match(dialString, /^\{leg_timeout=\d+\}\[pbx_extension=1003\]user\/1003@ring-answer\.test$/);
    assert.equal(call.channel.vars.get('originate_disposition'), 'call accepted');
    assert.equal(fs.runtime(b)?.ch.vars.get('dialed_user'), '1003');
    assert.equal(seen.get(b)?.get('pbx_extension'), '1003');
    assert.match(seen.get(b)?.get('leg_timeout') ?? '', /^\d+$/);
    await hangUp(call);
  });

  test('a sequential ring group: the first member is not registered, the second answers', async (t) => {
    const call = await dial('600');
    const { dialString, b } = await answered(call, t.signal);
    assert.match(
      dialString,
      /pbx_extension=1004\]user\/1004@ring-answer\.test\|\[.*pbx_extension=1002\]user\/1002@/,
    );
    assert.equal(call.channel.vars.get('originate_disposition'), 'call accepted');
    assert.equal(fs.runtime(b)?.ch.vars.get('dialed_user'), '1002');
    assert.equal(seen.get(b)?.get('pbx_extension'), '1002');
    await hangUp(call);
  });

  test('a simultaneous ring group: the one registered member answers', async (t) => {
    const call = await dial('601');
    const { dialString, b } = await answered(call, t.signal);
    assert.match(
      dialString,
      /^\{leg_timeout=20\}\[pbx_extension=1005\]user\/1005@ring-answer\.test,\[pbx_extension=1003\]/,
    );
    assert.equal(call.channel.vars.get('originate_disposition'), 'call accepted');
    assert.equal(fs.runtime(b)?.ch.vars.get('dialed_user'), '1003');
    assert.equal(seen.get(b)?.get('pbx_extension'), '1003');
    assert.equal(seen.get(b)?.get('leg_timeout'), '20');
    await hangUp(call);
  });
});
