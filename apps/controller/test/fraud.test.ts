// The outbound fraud policy's live checks (docs/security.md): per-extension and per-tenant caps counted in Redis
// against the live-call state, the velocity rule with its block and fraud_blocked alert, the maximum call length,
// and tenant isolation of all of it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { liveCallKeys } from '@pbx/events-ingest/readers';
import { FraudStore, GuardStore } from '@pbx/events-ingest/guards';
import { createTestDatabase, TEST_REDIS_URL } from '@pbx/testing';
import { Redis } from 'ioredis';
import { refuseOutbound, type RouteStep } from '@pbx/domain/routing';
import { renderDialplan } from '../src/dialplan.js';
import { refusalPrompts } from '../src/guards/start.js';
import {
  actionsOf,
  app,
  createExtension,
  createGateway,
  createTenant,
  phoneCall,
  setVars,
  startController,
  type Running,
} from './helpers.js';

const db = await createTestDatabase();

void describe('outbound fraud policy: live checks', () => {
  let c: Running;
  let redis: Redis;
  let acme: Awaited<ReturnType<typeof createTenant>>;
  let other: Awaited<ReturnType<typeof createTenant>>;
  let fraud: FraudStore;
  let guards: GuardStore;

  before(async () => {
    redis = new Redis(TEST_REDIS_URL);
    const setup = await startController(db.url);
    const p = setup.prisma;
    acme = await createTenant(p, 'acme.test', { maxConcurrentOutbound: 3 });
    other = await createTenant(p, 'other.test', { maxConcurrentOutbound: 3 });
    for (const t of [acme, other]) {
      await createGateway(p, t.id, `trunk-${t.domain}`);
      for (const n of ['1001', '1002', '1003', '1004', '1005']) await createExtension(p, t, n);
      await p.fraudPolicy.create({
        data: {
          tenantId: t.id,
          maxConcurrentPerExtension: 1,
          velocityMaxCalls: 3,
          velocityWindowSec: 600,
          velocityBlockSec: 3600,
          maxCallDurationSec: 120,
        },
      });
    }
    await setup.close();
    c = await startController(db.url, {}, { guards: { redis } });
    guards = new GuardStore(redis, c.prefix);
    fraud = new FraudStore(redis, c.prefix, guards);
  });
  after(async () => {
    await c.close();
    redis.disconnect();
    await db.drop();
  });

  const dial = async (domain: string, from: string, to = '2125550142', uuid?: string) => {
    const call = phoneCall(domain, from, to);
    const actions = actionsOf(await c.client.dialplan(uuid ? { ...call, uuid } : call), domain);
    return { uuid: uuid ?? call.uuid, actions, vars: setVars(actions) };
  };
  const tick = (sec: number) => {
    c.clock.now = new Date(c.clock.now.getTime() + sec * 1000);
  };

  void test('an admitted external call ends after the maximum length once answered', async () => {
    const a = await dial('acme.test', '1001');
    assert.equal(a.vars.get('execute_on_answer'), 'sched_hangup +120 ALLOTTED_TIMEOUT');
    assert.deepEqual(app(a.actions, 'bridge'), ['sofia/gateway/trunk-acme.test/+12125550142']);
    tick(61); // the call above never showed up in the live-call state: it stops counting after the grace
  });

  void test('per-extension cap: a second external call of one extension is refused while the first is live', async () => {
    const first = await dial('acme.test', '1002');
    assert.equal(first.vars.get('pbx_blocked_reason'), undefined);
    // The first call's leg is live (what the controllers' live-call state holds for it).
    await redis.set(liveCallKeys(c.prefix).leg(first.uuid), '{}', 'EX', 600);
    tick(61);
    const second = await dial('acme.test', '1002');
    assert.equal(second.vars.get('pbx_blocked_reason'), 'EXTENSION_CONCURRENT_LIMIT');
    assert.deepEqual(app(second.actions, 'bridge'), []);
    assert.deepEqual(app(second.actions, 'hangup'), ['NORMAL_CIRCUIT_CONGESTION']);
    assert.equal(second.vars.get('pbx_direction'), 'outbound');
    // The same call looked up again (a transfer) is not a second call.
    assert.equal(
      (await dial('acme.test', '1002', undefined, first.uuid)).vars.get('pbx_blocked_reason'),
      undefined,
    );
    // Another tenant's 1002 is not counted against acme's.
    assert.equal((await dial('other.test', '1002')).vars.get('pbx_blocked_reason'), undefined);
    // The first call ends: its tombstone in the live-call state frees the extension at once.
    await redis.del(liveCallKeys(c.prefix).leg(first.uuid));
    await redis.set(`${liveCallKeys(c.prefix).head}gone:${first.uuid}`, '1', 'EX', 600);
    assert.equal((await dial('acme.test', '1002')).vars.get('pbx_blocked_reason'), undefined);
    tick(61);
  });

  void test('per-tenant cap across extensions', async () => {
    const live = [];
    for (const from of ['1001', '1003', '1004']) {
      const a = await dial('acme.test', from);
      assert.equal(a.vars.get('pbx_blocked_reason'), undefined, from);
      live.push(a.uuid);
    }
    const over = await dial('acme.test', '1005');
    assert.equal(over.vars.get('pbx_blocked_reason'), 'CONCURRENT_LIMIT');
    // Emergency calls are never stopped by caps.
    assert.deepEqual(app((await dial('acme.test', '1005', '911')).actions, 'bridge'), [
      'sofia/gateway/trunk-acme.test/911',
    ]);
    tick(61);
    assert.equal((await dial('acme.test', '1005')).vars.get('pbx_blocked_reason'), undefined);
    tick(61);
  });

  void test('velocity: too many external calls block the extension, alert the admins, and a lift ends it', async () => {
    // 1005 tried twice in the test before (refused attempts count too), inside the window: one more is
    // allowed, the fourth blocks.
    assert.equal((await dial('acme.test', '1005')).vars.get('pbx_blocked_reason'), undefined);
    tick(61);
    const tripped = await dial('acme.test', '1005');
    assert.equal(tripped.vars.get('pbx_blocked_reason'), 'VELOCITY_BLOCKED');
    assert.deepEqual(app(tripped.actions, 'hangup'), ['OUTGOING_CALL_BARRED']);
    tick(61);
    const after = await dial('acme.test', '1005');
    assert.equal(after.vars.get('pbx_blocked_reason'), 'EXTENSION_BLOCKED');
    // Internal calls and emergency calls still work.
    const internal = await dial('acme.test', '1005', '1001');
    assert.equal(internal.vars.get('pbx_blocked_reason'), undefined);
    assert.deepEqual(app(internal.actions, 'bridge'), [
      '{leg_timeout=25}[pbx_extension=1001]user/1001@acme.test',
    ]);
    assert.equal((await dial('acme.test', '1005', '911')).vars.get('pbx_blocked_reason'), undefined);
    // The alert is in the tenant's list and the platform's, not in the other tenant's (the 911 calls above raise
    // emergency_call alerts of their own, issue #16).
    const fraudAlerts = async (tenantId: string | null) =>
      (await guards.alerts(tenantId)).filter((a) => a.kind === 'fraud_blocked');
    const [alert] = await fraudAlerts(acme.id);
    assert.equal(alert?.detail.extension, '1005');
    assert.equal((await fraudAlerts(null)).length, 1);
    assert.deepEqual(await fraudAlerts(other.id), []);
    const at = c.clock.now.getTime();
    assert.deepEqual(
      (await fraud.list(at, acme.id)).map((b) => [b.extension, b.calls]),
      [['1005', 4]],
    );
    assert.deepEqual(await fraud.list(at, other.id), []);
    // other.test's 1005 was never blocked, and cannot lift acme's.
    assert.equal((await dial('other.test', '1005')).vars.get('pbx_blocked_reason'), undefined);
    assert.equal(await fraud.lift(other.id, '1005', { at, by: 'test' }), null);
    assert.ok(await fraud.lift(acme.id, '1005', { at, by: 'test' }));
    assert.equal((await dial('acme.test', '1005')).vars.get('pbx_blocked_reason'), undefined);
    assert.equal(
      (await guards.alerts(acme.id)).filter((a) => a.kind !== 'emergency_call')[0]?.kind,
      'block_lifted',
    );
  });
});

void test('a refused external call hears the tone, then the announcement for its reason', () => {
  const prompts = refusalPrompts('/media');
  const steps: RouteStep[] = [{ kind: 'set', name: 'pbx_tenant_id', value: 't', export: true }];
  const played = (reason: Parameters<typeof refuseOutbound>[1]) => {
    const xml = renderDialplan(refuseOutbound(steps, reason, 'why'), {
      context: 'acme.test',
      destination: '2125550142',
      recordingsDir: '/rec',
      outboundSocket: '127.0.0.1:8084',
      uuid: 'u',
      transferTokens: { sign: () => 'x' },
      refusalPrompts: prompts,
    });
    return [...xml.matchAll(/application="playback" data="([^"]*)"/g)].map((m) => m[1]);
  };
  assert.equal(played('VELOCITY_BLOCKED')[1], '/media/prompts/en/outbound-line-blocked.wav');
  assert.equal(played('EXTENSION_CONCURRENT_LIMIT')[1], '/media/prompts/en/outbound-busy.wav');
  assert.equal(played('COUNTRY_BLOCKED')[1], '/media/prompts/en/outbound-barred.wav');
  assert.equal(played('COUNTRY_BLOCKED').length, 2);
});
