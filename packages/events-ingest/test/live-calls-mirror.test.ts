import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { liveCallsChannel } from '@pbx/contracts/calls';
import { TEST_REDIS_URL, testRedisPrefix } from '@pbx/testing';
import {
  createTenantResolver,
  LiveCallStore,
  type EslHeaders,
  type LiveCallChange,
  type LiveCallWriteError,
} from '../src/index.js';
import { GONE, LegMirror } from '../src/live-calls/mirror.js';
import { capturedPlainEvents, acmeWorld } from './support.js';

const A_LEG = 'd58f6fa4-d4f6-4d30-ab94-4a78be9cac38';
const B_LEG = 'dc6502b2-1552-473e-a015-b0812cd227f6';

const { db, redis, tenantId, tenants } = await acmeWorld();

/** The captured 1001 → 1002 call: A and B legs, bridged, both hung up (with a late UNBRIDGE). */
const call = capturedPlainEvents().filter(
  (e) =>
    (e['Unique-ID'] === A_LEG || e['Unique-ID'] === B_LEG) &&
    /^CHANNEL_(?:CREATE|ANSWER|BRIDGE|UNBRIDGE|HANGUP|HANGUP_COMPLETE|DESTROY)$/.test(e['Event-Name'] ?? ''),
);
const named = (name: string, uuid = A_LEG): EslHeaders => {
  const e = call.find((x) => x['Event-Name'] === name && x['Unique-ID'] === uuid);
  assert.ok(e, `${name} of ${uuid}`);
  return e;
};

/**
 * Every change published so far. The store publishes from Lua scripts on `redis`, so a marker
 * published on the same connection afterwards reaches the feed after all of them: read up to it
 * instead of waiting for a quiet spell.
 */
async function drainFeed(feed: AsyncIterator<LiveCallChange>, prefix: string): Promise<LiveCallChange[]> {
  const marker = `marker-${randomUUID()}`;
  await redis.publish(
    liveCallsChannel(prefix, tenantId),
    JSON.stringify({ type: 'remove', tenantId, uuid: marker } satisfies LiveCallChange),
  );
  const seen: LiveCallChange[] = [];
  for (;;) {
    const next = await feed.next();
    if (next.done) return seen;
    if (next.value.type === 'remove' && next.value.uuid === marker) return seen;
    seen.push(next.value);
  }
}
const describeChange = (c: LiveCallChange) =>
  c.type === 'upsert'
    ? `upsert ${c.call.uuid === A_LEG ? 'A' : 'B'} ${c.call.state}`
    : `remove ${c.uuid === A_LEG ? 'A' : 'B'}`;

describe('live calls: the in-process mirror and its Redis writes', () => {
  test('a restarted store reads the legs it does not know through from Redis', async () => {
    const prefix = testRedisPrefix();
    const before = new LiveCallStore({ redis, prefix, tenants });
    const bridgeAt = call.findIndex((e) => e['Event-Name'] === 'CHANNEL_BRIDGE');
    for (const e of call.slice(0, bridgeAt)) await before.applyChannelEvent(e);
    const stored = await before.list(tenantId);
    assert.deepEqual(stored.map((c) => [c.uuid, c.state]).sort(), [
      [A_LEG, 'answered'],
      [B_LEG, 'answered'],
    ]);

    // A new process: its mirror is empty, Redis has both legs.
    const after = new LiveCallStore({ redis, prefix, tenants });
    const feed = await after.changes(tenantId);
    // Redis says A is answered already: a repeated ANSWER changes nothing.
    assert.equal((await after.applyChannelEvent(named('CHANNEL_ANSWER'))).action, 'ignored');
    // The bridge names B, which only Redis knows: B is updated too, keeping what its own events said.
    const bridged = await after.applyChannelEvent(named('CHANNEL_BRIDGE'));
    assert.deepEqual(bridged.uuids.sort(), [A_LEG, B_LEG].sort());
    const legs = await after.list(tenantId);
    const b = legs.find((c) => c.uuid === B_LEG);
    assert.equal(b?.state, 'bridged');
    assert.equal(b?.otherUuid, A_LEG);
    assert.equal(b?.createdAt, stored.find((c) => c.uuid === B_LEG)?.createdAt);
    for (const e of call.slice(bridgeAt + 1)) await after.applyChannelEvent(e);
    assert.deepEqual(await after.list(tenantId), []);
    const changes = await drainFeed(feed, prefix);
    feed.close();
    assert.deepEqual(changes.map(describeChange), [
      'upsert A bridged',
      'upsert B bridged',
      'remove A',
      'remove B',
    ]);
  });

  test('a controller lagging behind another never brings a hung-up leg back', async () => {
    const prefix = testRedisPrefix();
    const ahead = new LiveCallStore({ redis, prefix, tenants });
    for (const e of call.filter((x) => x['Unique-ID'] === A_LEG)) await ahead.applyChannelEvent(e);
    assert.deepEqual(await ahead.list(tenantId), []);

    const behind = new LiveCallStore({ redis, prefix, tenants });
    const feed = await behind.changes(tenantId);
    const created = await behind.applyChannelEvent(named('CHANNEL_CREATE'));
    assert.equal(created.action, 'ignored', 'Redis refused the upsert: the leg has a tombstone');
    assert.deepEqual(await behind.list(tenantId), []);
    // The refusal taught the mirror: the next events of the leg need no Redis work at all.
    assert.equal((await behind.applyChannelEvent(named('CHANNEL_ANSWER'))).action, 'ignored');
    assert.equal((await behind.applyChannelEvent(named('CHANNEL_HANGUP'))).action, 'ignored');
    assert.deepEqual(await drainFeed(feed, prefix), [], 'no change was published');
    feed.close();
  });

  test("submitted events of one leg apply in order even when the first waits for the tenant's lookup", async () => {
    const prefix = testRedisPrefix();
    // No cache: every new leg needs the database first.
    const uncached = createTenantResolver(db.prisma, { ttlMs: 0 });
    const store = new LiveCallStore({ redis, prefix, tenants: uncached });
    const feed = await store.changes(tenantId);
    for (const e of call) store.submitChannelEvent(e);
    await store.idle();
    assert.equal(store.writeErrors, 0);
    assert.deepEqual(await store.list(tenantId), []);
    const changes = (await drainFeed(feed, prefix)).map(describeChange);
    feed.close();
    // Each leg's own order; the bridge changes both; the late UNBRIDGE brings neither back.
    const only = (leg: string) => changes.filter((c) => c.endsWith(` ${leg}`) || c.includes(` ${leg} `));
    assert.deepEqual(only('A'), ['upsert A ringing', 'upsert A answered', 'upsert A bridged', 'remove A']);
    assert.deepEqual(only('B'), ['upsert B ringing', 'upsert B answered', 'upsert B bridged', 'remove B']);
  });

  test('a failed write of a submitted event is reported and counted, never dropped silently', async () => {
    // Never connected, and no queue while offline: every command fails at once.
    const offline = new Redis(TEST_REDIS_URL, { lazyConnect: true, enableOfflineQueue: false });
    offline.on('error', () => {});
    after(() => offline.disconnect());
    const errors: LiveCallWriteError[] = [];
    const store = new LiveCallStore({
      redis: offline,
      prefix: testRedisPrefix(),
      tenants,
      onError: (e) => errors.push(e),
    });
    await tenants.byId(tenantId);
    store.submitChannelEvent(named('CHANNEL_CREATE'));
    await store.idle();
    assert.equal(store.writeErrors, 1);
    assert.deepEqual(
      errors.map((e) => [e.uuid, e.op, e.cause]),
      [[A_LEG, 'upsert', 'CHANNEL_CREATE']],
    );
    // The awaiting form rejects instead.
    await assert.rejects(store.applyChannelEvent(named('CHANNEL_CREATE', B_LEG)));
    assert.equal(store.writeErrors, 1);
  });

  test('mirror entries expire like the Redis keys they stand for', () => {
    let now = 1_000_000;
    const mirror = new LegMirror(60_000, 5_000, () => now);
    const leg = {
      uuid: A_LEG,
      nodeId: 'fs',
      tenantId,
      direction: 'INTERNAL' as const,
      callerNumber: '1001',
      callerName: '',
      callee: '1002',
      state: 'ringing' as const,
      otherUuid: null,
      createdAt: new Date(now).toISOString(),
      since: new Date(now).toISOString(),
    };
    mirror.set(leg);
    assert.equal(mirror.get(A_LEG), leg);
    now += 59_999;
    assert.equal(mirror.get(A_LEG), leg);
    now += 2;
    assert.equal(mirror.get(A_LEG), undefined, 'a leg not written for its TTL is forgotten');
    mirror.markGone(B_LEG);
    assert.equal(mirror.get(B_LEG), GONE);
    now += 5_001;
    assert.equal(mirror.get(B_LEG), undefined);
    // Expired entries are swept as writes go by, without a lookup.
    for (let i = 0; i < 100; i++) mirror.markGone(`leg-${i}`);
    now += 20_000;
    mirror.markGone('latest');
    assert.deepEqual(mirror.size, { live: 0, gone: 1 });
  });
});
