// Issue #16: emergency calls through the controller's dialplan answers (as the double asks for them), against a
// tenant on which every other external call is refused; the platform's emergency trunk; an audible failure with no
// trunk at all; and the admin-visible alert of each emergency call (Kari's Law).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GuardStore } from '@pbx/events-ingest/guards';
import { createTestDatabase, TEST_REDIS_URL, waitFor } from '@pbx/testing';
import { Redis } from 'ioredis';
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

void describe('emergency calls through the controller', () => {
  let redis: Redis;
  let c: Running;
  let guards: GuardStore;
  let gb: { id: string; domain: string };
  let bare: { id: string; domain: string };

  before(async () => {
    redis = new Redis(TEST_REDIS_URL);
    const setup = await startController(db.url);
    const p = setup.prisma;
    // Suspended, no concurrent calls, a fraud allow-list of another country, extensions with policy NONE.
    gb = await createTenant(p, 'gb.test', {
      status: 'SUSPENDED',
      maxConcurrentOutbound: 0,
      defaultCallerIdNumber: '+442071838750',
    });
    await p.tenant.update({
      where: { id: gb.id },
      data: { country: 'GB', emergencyLocation: 'SITE-HQ' },
    });
    await p.inboundNumber.create({
      data: { tenantId: gb.id, e164: '+442071838751', destType: 'HANGUP', destValue: null },
    });
    const gw = await createGateway(p, gb.id, 'trunk-gb');
    await p.gateway.update({ where: { id: gw.id }, data: { locationHeader: 'X-Emergency-Location' } });
    await p.fraudPolicy.create({ data: { tenantId: gb.id, allowedCountries: ['FR'] } });
    const e1 = await createExtension(p, gb, '1001', { outboundPolicy: 'NONE' });
    await p.extension.update({
      where: { id: e1.id },
      data: { emergencyCallerIdNumber: '+442071838751', emergencyLocation: 'SITE-HQ-FLOOR-3' },
    });
    await createExtension(p, gb, '1002', { outboundPolicy: 'NONE' });
    // No trunk at all, and (yet) no platform emergency trunk.
    bare = await createTenant(p, 'bare.test', { defaultCallerIdNumber: '+12125550100' });
    await p.tenant.update({ where: { id: bare.id }, data: { country: 'US' } });
    await createExtension(p, bare, '1001');
    await setup.close();
    c = await startController(db.url, {}, { guards: { redis } });
    guards = new GuardStore(redis, c.prefix);
  });
  after(async () => {
    await c.close();
    redis.disconnect();
    await db.drop();
  });

  const dial = async (domain: string, from: string, to: string) => {
    const actions = actionsOf(await c.client.dialplan(phoneCall(domain, from, to)), domain);
    return { actions, vars: setVars(actions) };
  };

  void test('a suspended tenant with every limit at zero: 999 goes out, with callback number and location', async () => {
    const call = await dial('gb.test', '1001', '999');
    assert.deepEqual(app(call.actions, 'bridge'), ['sofia/gateway/trunk-gb/999']);
    assert.deepEqual(app(call.actions, 'limit'), [], 'no concurrent limit');
    assert.equal(call.vars.get('execute_on_answer'), undefined, 'no maximum duration');
    assert.equal(call.vars.get('effective_caller_id_number'), '+442071838751');
    assert.equal(call.vars.get('pbx_emergency'), 'true');
    assert.equal(call.vars.get('pbx_emergency_location'), 'SITE-HQ-FLOOR-3');
    assert.deepEqual(
      app(call.actions, 'set').filter((d) => d.startsWith('sip_h_')),
      ['sip_h_X-Emergency-Location=SITE-HQ-FLOOR-3'],
    );
    // 112 too; the tenant's location for an extension without its own.
    const other = await dial('gb.test', '1002', '112');
    assert.deepEqual(app(other.actions, 'bridge'), ['sofia/gateway/trunk-gb/112']);
    assert.equal(other.vars.get('pbx_emergency_location'), 'SITE-HQ');
    // Everything else of the suspended tenant is refused.
    const normal = await dial('gb.test', '1001', '02079460000');
    assert.deepEqual(app(normal.actions, 'bridge'), []);
    assert.equal(normal.vars.get('pbx_blocked_reason'), 'TENANT_SUSPENDED');
  });

  void test('each emergency call is an alert in the tenant and platform lists, with extension, caller ID and time', async (t) => {
    const has = async (tenantId: string | null, extension: string, destination: string) =>
      (await guards.alerts(tenantId)).find(
        (a) =>
          a.kind === 'emergency_call' &&
          a.detail.extension === extension &&
          a.detail.destination === destination,
      );
    await waitFor('the 999 alert', async () => (await has(gb.id, '1001', '999')) !== undefined, t.signal);
    const alert = await has(gb.id, '1001', '999');
    assert.equal(alert?.tenantId, gb.id);
    assert.equal(alert?.detail.callerId, '+442071838751');
    assert.equal(alert?.detail.routed, true);
    assert.ok(alert && !Number.isNaN(Date.parse(alert.at)));
    assert.ok(await has(null, '1001', '999'), 'the platform list has it too');
    // Tenant isolation: the other tenant's list does not.
    assert.equal(
      (await guards.alerts(bare.id)).some((a) => a.kind === 'emergency_call'),
      false,
    );
  });

  void test('no trunk and no platform emergency trunk: an audible failure and an alert, never silence', async (t) => {
    const call = await dial('bare.test', '1001', '911');
    assert.deepEqual(app(call.actions, 'bridge'), []);
    assert.equal(call.vars.get('pbx_emergency'), 'true');
    assert.equal(call.vars.get('pbx_blocked_reason'), 'NO_GATEWAY');
    assert.ok(
      app(call.actions, 'playback').some((d) => d.startsWith('tone_stream://')),
      'the failure tone',
    );
    assert.deepEqual(app(call.actions, 'hangup'), ['NETWORK_OUT_OF_ORDER']);
    await waitFor(
      'the failed-call alert',
      async () =>
        (await guards.alerts(bare.id)).some((a) => a.kind === 'emergency_call' && a.detail.routed === false),
      t.signal,
    );
  });

  void test("the platform's emergency trunk carries it once one exists (not a tenant-dedicated one)", async () => {
    await c.prisma.gateway.create({
      data: { tenantId: gb.id, fsName: 'dedicated-911', emergencyFallback: true },
    });
    await c.prisma.gateway.create({ data: { fsName: 'platform-911', emergencyFallback: true } });
    c.cache.invalidateTenant('bare.test');
    const call = await dial('bare.test', '1001', '911');
    assert.deepEqual(app(call.actions, 'bridge'), ['sofia/gateway/platform-911/911']);
    assert.equal(call.vars.get('effective_caller_id_number'), '+12125550100');
    // An ordinary call still has no trunk.
    assert.equal(
      (await dial('bare.test', '1001', '2125550142')).vars.get('pbx_blocked_reason'),
      'NO_GATEWAY',
    );
  });
});
