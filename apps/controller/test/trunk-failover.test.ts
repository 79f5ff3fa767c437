// Issue #16: an outbound call tries the tenant's trunks in order, moving on only on a network-side failure, and its
// CDR lists every attempt. The controller's dialplan runs on the double (bridge through sofia gateways, mod_dptools'
// continue_on_fail, ${} expansion), the CDR comes back through the event socket.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFreeswitchDouble, type FreeswitchDouble } from '@pbx/freeswitch-double';
import { GatewayStateReader } from '@pbx/events-ingest/readers';
import { createTestDatabase, TEST_REDIS_URL, testRedisPrefix } from '@pbx/testing';
import { Redis } from 'ioredis';
import { startEventController, until, type EventController } from './events-harness.js';
import {
  actionsOf,
  app,
  createExtension,
  createGateway,
  createTenant,
  phoneCall,
  xmlCurlClient,
} from './helpers.js';

const db = await createTestDatabase();

void describe('trunk failover', () => {
  let c: EventController;
  let fs: FreeswitchDouble;
  let client: ReturnType<typeof xmlCurlClient>;
  let redis: Redis;
  const prefix = testRedisPrefix();
  const states = async () =>
    (await new GatewayStateReader(redis, prefix).list()).map(
      (s) => `${s.node} ${s.gateway} ${s.state} ${s.pingStatus}`,
    );

  before(async () => {
    redis = new Redis(TEST_REDIS_URL);
    fs = await startFreeswitchDouble({ hostname: 'fs1', profiles: { internal: 5060, external: 5080 } });
    const seed = await startEventController({ databaseUrl: db.url, prefix: testRedisPrefix(), doubles: [] });
    const t = await createTenant(seed.prisma, 'acme.test');
    await createExtension(seed.prisma, t, '1001');
    for (const name of ['trunk-a', 'trunk-b']) {
      const gw = await createGateway(seed.prisma, t.id, name);
      await seed.prisma.gateway.update({ where: { id: gw.id }, data: { host: '192.0.2.10' } });
    }
    await seed.close();
    c = await startEventController({
      databaseUrl: db.url,
      prefix,
      doubles: [{ name: 'fs1', port: fs.port }],
    });
    client = xmlCurlClient(`http://127.0.0.1:${c.port}/freeswitch`);
    fs.trunks.fetcher = async (profile, gateway) => (await client.sofiaGateways(profile, gateway)).document;
    await until('the node loaded both trunks', () => fs.trunks.gateways.size === 2);
  });
  after(async () => {
    await c.close();
    await fs.close();
    redis.disconnect();
    await db.drop();
  });

  /** Dials an external number from 1001 and runs the controller's answer on the double. */
  const dial = async (hangUpWhenConnected: boolean) => {
    const lookup = phoneCall('acme.test', '1001', '2125550142');
    const actions = actionsOf(await client.dialplan(lookup), 'acme.test');
    const call = fs.placeCall({
      from: '1001',
      to: '2125550142',
      domain: 'acme.test',
      apps: actions.map((a) => [a.application, a.data ?? ''] as const),
    });
    if (hangUpWhenConnected) {
      await until('the call is connected', () =>
        fs.calls().some((r) => r.uuid === call.uuid && r.ch.vars.get('bridge_uuid') !== undefined),
      );
      call.hangup();
    }
    await call.ended;
    const find = () => c.prisma.cdr.findUnique({ where: { callUuid: call.uuid } });
    await until('the A leg has its CDR', async () => (await find()) !== null);
    const cdr = await find();
    assert.ok(cdr);
    return { call, actions, cdr };
  };
  const bridges = (call: { apps: ReadonlyArray<{ app: string; data: string }> }) =>
    call.apps.filter((a) => a.app === 'bridge').map((a) => a.data);

  void test('the dialplan bridges the trunks in order with the failover causes', async () => {
    const actions = actionsOf(
      await client.dialplan(phoneCall('acme.test', '1001', '2125550142')),
      'acme.test',
    );
    assert.deepEqual(app(actions, 'bridge'), [
      'sofia/gateway/trunk-a/+12125550142',
      'sofia/gateway/trunk-b/+12125550142',
    ]);
    const cof = app(actions, 'set').find((d) => d.startsWith('continue_on_fail='));
    const causes = (cof ?? '').slice('continue_on_fail='.length).split(',');
    for (const c of ['NORMAL_TEMPORARY_FAILURE', 'GATEWAY_DOWN', 'RECOVERY_ON_TIMER_EXPIRE'])
      assert.ok(causes.includes(c), c);
    for (const c of ['USER_BUSY', 'NO_ANSWER', 'CALL_REJECTED', 'UNALLOCATED_NUMBER'])
      assert.ok(!causes.includes(c), c);
  });

  void test('a 503 from the first trunk fails over to the second, which connects', async () => {
    fs.trunks.failCalls('trunk-a', 'NORMAL_TEMPORARY_FAILURE');
    const { call, cdr } = await dial(true);
    assert.deepEqual(bridges(call), [
      'sofia/gateway/trunk-a/+12125550142',
      'sofia/gateway/trunk-b/+12125550142',
    ]);
    assert.deepEqual(cdr.trunkAttempts, [
      { gateway: 'trunk-a', cause: 'NORMAL_TEMPORARY_FAILURE', connected: false },
      { gateway: 'trunk-b', cause: cdr.hangupCause, connected: true },
    ]);
  });

  void test('a busy callee is not retried on the next trunk', async () => {
    fs.trunks.failCalls('trunk-a', 'USER_BUSY');
    const { call, cdr } = await dial(false);
    assert.deepEqual(bridges(call), ['sofia/gateway/trunk-a/+12125550142']);
    assert.equal(cdr.hangupCause, 'USER_BUSY');
    assert.deepEqual(cdr.trunkAttempts, [{ gateway: 'trunk-a', cause: 'USER_BUSY', connected: false }]);
  });

  void test('a gateway that is down is skipped with GATEWAY_DOWN; when every trunk fails the call ends with the last cause', async () => {
    fs.trunks.setState('trunk-a', 'FAIL_WAIT', 'DOWN');
    fs.trunks.failCalls('trunk-b', 'RECOVERY_ON_TIMER_EXPIRE');
    const { cdr } = await dial(false);
    fs.trunks.setState('trunk-a', 'NOREG', 'UP');
    assert.equal(cdr.hangupCause, 'RECOVERY_ON_TIMER_EXPIRE');
    assert.deepEqual(cdr.trunkAttempts, [
      { gateway: 'trunk-a', cause: 'GATEWAY_DOWN', connected: false },
      { gateway: 'trunk-b', cause: 'RECOVERY_ON_TIMER_EXPIRE', connected: false },
    ]);
  });

  void test("the trunks' state per node: listed on connect and after each add, then followed through gateway_state events", async () => {
    // trunk-b never announced a state (a NOREG gateway does not): it is known from the list alone, without a ping
    // status; trunk-a went down and up in the test before, through events.
    const want = (list: string[]) => async () => JSON.stringify(await states()) === JSON.stringify(list);
    await until('both trunks listed for fs1', want(['fs1 trunk-a NOREG UP', 'fs1 trunk-b NOREG null']));
    fs.trunks.setState('trunk-b', 'FAIL_WAIT', 'DOWN');
    await until('trunk-b is down', async () => (await states()).includes('fs1 trunk-b FAIL_WAIT DOWN'));
    fs.trunks.setState('trunk-b', 'NOREG', 'UP');
    await until('trunk-b is up again', async () => (await states()).includes('fs1 trunk-b NOREG UP'));
    // A killed gateway disappears from the node's list (sofia::gateway_delete makes the controller re-read it).
    fs.runApi('sofia profile external killgw trunk-b');
    await until('trunk-b is gone from fs1', want(['fs1 trunk-a NOREG UP']));
  });
});
