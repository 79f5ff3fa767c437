// The per-tenant cache on its own (no database): what waits for a load, what is answered from the copy in hand.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TenantSnapshot } from '@pbx/domain/routing';
import type { SnapshotLoader } from '../src/snapshot-loader.js';
import { TenantCache } from '../src/tenant-cache.js';

const MAX_AGE = 300_000;
const RETRY_AFTER = 2_000;

/** A snapshot that only carries what these tests look at: a version in the tenant's name, and its DIDs. */
const snapshotOf = (domain: string, version: number, dids: string[] = []): TenantSnapshot =>
  ({
    tenant: { id: domain, name: `v${version}`, domain },
    inboundNumbers: dids.map((e164) => ({
      e164,
      enabled: true,
      destination: { type: 'HANGUP', value: null },
    })),
  }) as unknown as TenantSnapshot;

type Pending = { key: string; resolve: (v: TenantSnapshot | null) => void; reject: (e: Error) => void };

/** A loader whose loads finish when the test says so, reading whatever the "database" holds at that moment. */
function harness() {
  const db = new Map<string, TenantSnapshot>();
  const didOwner = new Map<string, string>();
  const pending: Pending[] = [];
  const clock = { now: 1_000_000 };
  const stale: string[] = [];
  const loader: SnapshotLoader = {
    loadTenant: (domain) =>
      new Promise((resolve, reject) => pending.push({ key: domain, resolve, reject })).then(
        () => db.get(domain) ?? null,
      ),
    domainForDid: async (e164) => Promise.resolve(didOwner.get(e164) ?? null),
  };
  const cache = new TenantCache(loader, {
    negativeTtlMs: 30_000,
    maxAgeMs: MAX_AGE,
    loadTimeoutMs: 60_000,
    retryAfterMs: RETRY_AFTER,
    now: () => clock.now,
    onStale: (key) => stale.push(key),
  });
  /** Lets the oldest pending load read the database (or fail), then lets its promise chains run. */
  const finish = async (error?: Error) => {
    const p = pending.shift();
    assert.ok(p, 'a load is pending');
    if (error) p.reject(error);
    else p.resolve(null);
    await new Promise((r) => setImmediate(r));
  };
  /** Finishes every pending load (their time-out timers would otherwise keep the test file alive). */
  const drain = async () => {
    while (pending.length > 0) await finish();
  };
  const version = (s: TenantSnapshot | null) => (s ? s.tenant.name : null);
  return { db, didOwner, pending, clock, stale, cache, finish, drain, version };
}

void describe('tenant cache', () => {
  void test('a copy past its age limit is answered at once and refreshed in the background, by one load', async () => {
    const h = harness();
    h.db.set('a.test', snapshotOf('a.test', 1));
    const first = h.cache.lookupDomain('a.test');
    assert.ok(first instanceof Promise, 'the first lookup waits for the database');
    await h.finish();
    assert.equal(h.version(await first), 'v1');

    h.db.set('a.test', snapshotOf('a.test', 2)); // changed without a message (a lost ConfigChanged)
    h.clock.now += MAX_AGE;
    const old = h.cache.lookupDomain('a.test');
    assert.ok(!(old instanceof Promise), 'an old copy does not make the lookup wait');
    assert.equal(h.version(old), 'v1');
    assert.equal(h.version(h.cache.lookupDomain('a.test') as TenantSnapshot), 'v1');
    assert.equal(h.pending.length, 1, 'one refresh, however many lookups');
    await h.finish();
    assert.equal(h.version(h.cache.lookupDomain('a.test') as TenantSnapshot), 'v2');
    assert.equal(h.pending.length, 0);
  });

  void test('copies loaded together do not all come of age at the same moment', async () => {
    const h = harness();
    const domains = Array.from({ length: 200 }, (_, i) => `t${i}.test`);
    for (const d of domains) h.db.set(d, snapshotOf(d, 1));
    const loads = domains.map((d) => h.cache.getByDomain(d));
    await h.drain();
    await Promise.all(loads);

    h.clock.now += MAX_AGE * 0.79;
    for (const d of domains) void h.cache.lookupDomain(d);
    assert.equal(h.pending.length, 0, 'nothing is refreshed before four fifths of the age limit');
    h.clock.now += MAX_AGE * 0.1;
    for (const d of domains) void h.cache.lookupDomain(d);
    const early = h.pending.length;
    assert.ok(early > 40 && early < 160, `about half refresh by nine tenths of the limit (${early})`);
    h.clock.now += MAX_AGE * 0.11;
    for (const d of domains) void h.cache.lookupDomain(d);
    assert.equal(h.pending.length, domains.length, 'every copy is refreshed once it reaches the limit');
    await h.drain();
  });

  void test('a failed refresh keeps serving the copy and retries only after retryAfterMs', async () => {
    const h = harness();
    h.db.set('a.test', snapshotOf('a.test', 1));
    const first = h.cache.lookupDomain('a.test');
    await h.finish();
    await first;
    h.clock.now += MAX_AGE;
    assert.equal(h.version(h.cache.lookupDomain('a.test') as TenantSnapshot), 'v1');
    await h.finish(new Error('database down'));
    assert.deepEqual(h.stale, ['a.test']);
    h.clock.now += RETRY_AFTER - 1;
    assert.equal(h.version(h.cache.lookupDomain('a.test') as TenantSnapshot), 'v1');
    assert.equal(h.pending.length, 0, 'no new attempt before retryAfterMs');
    h.clock.now += 1;
    h.db.set('a.test', snapshotOf('a.test', 2));
    assert.equal(h.version(h.cache.lookupDomain('a.test') as TenantSnapshot), 'v1');
    assert.equal(h.pending.length, 1);
    await h.finish();
    assert.equal(h.version(h.cache.lookupDomain('a.test') as TenantSnapshot), 'v2');
  });

  void test('an "unknown" answer past its time waits for the database: a domain created meanwhile is found', async () => {
    const h = harness();
    const first = h.cache.lookupDomain('new.test');
    await h.finish();
    assert.equal(await first, null);
    assert.equal(h.cache.lookupDomain('new.test'), null, 'remembered as unknown');
    h.db.set('new.test', snapshotOf('new.test', 1));
    h.clock.now += 30_000;
    const again = h.cache.lookupDomain('new.test');
    assert.ok(again instanceof Promise);
    await h.finish();
    assert.equal(h.version(await again), 'v1');
  });

  void test('after an invalidation the next lookup waits for a load that started after it', async () => {
    const h = harness();
    h.db.set('a.test', snapshotOf('a.test', 1));
    const first = h.cache.lookupDomain('a.test');
    await h.finish();
    await first;
    h.db.set('a.test', snapshotOf('a.test', 2));
    h.cache.invalidateTenant('a.test');
    const next = h.cache.lookupDomain('a.test');
    assert.ok(next instanceof Promise);
    await h.finish();
    assert.equal(h.version(await next), 'v2');
  });

  void test('a load overtaken by an invalidation is not kept, even for a tenant never loaded before', async () => {
    const h = harness();
    h.db.set('a.test', snapshotOf('a.test', 1));
    const early = h.cache.lookupDomain('a.test');
    assert.ok(early instanceof Promise);
    const readsV1 = h.pending.shift();
    assert.ok(readsV1);
    // The change is committed and announced while that load is running.
    h.cache.invalidateTenant('a.test');
    const late = h.cache.lookupDomain('a.test');
    assert.ok(late instanceof Promise, 'a lookup after the invalidation does not join the older load');
    assert.equal(h.pending.length, 1, 'it starts its own');
    readsV1.resolve(null);
    assert.equal(h.version(await early), 'v1', 'the older load answers the lookup that waited for it');
    const meanwhile = h.cache.lookupDomain('a.test');
    assert.ok(meanwhile instanceof Promise, 'but its answer is not cached');
    h.db.set('a.test', snapshotOf('a.test', 2));
    await h.finish();
    assert.equal(h.version(await late), 'v2');
    assert.equal(h.version(await meanwhile), 'v2');
    assert.equal(h.version(h.cache.lookupDomain('a.test') as TenantSnapshot), 'v2');
  });

  void test('the outdated load does not overwrite what a newer one stored', async () => {
    const h = harness();
    h.db.set('a.test', snapshotOf('a.test', 1));
    const early = h.cache.lookupDomain('a.test');
    const older = h.pending.shift();
    assert.ok(older);
    h.cache.invalidateTenant('a.test');
    h.db.set('a.test', snapshotOf('a.test', 2));
    const late = h.cache.lookupDomain('a.test');
    await h.finish();
    assert.equal(h.version(await late), 'v2');
    h.db.set('a.test', snapshotOf('a.test', 1)); // what the older load would have read
    older.resolve(null);
    assert.equal(h.version(await early), 'v1');
    assert.equal(h.version(h.cache.lookupDomain('a.test') as TenantSnapshot), 'v2');
  });

  void test('a Redis reconnect (invalidateAll) also outdates loads in progress', async () => {
    const h = harness();
    h.db.set('a.test', snapshotOf('a.test', 1));
    const early = h.cache.lookupDomain('a.test');
    assert.ok(early instanceof Promise);
    h.cache.invalidateAll();
    const late = h.cache.lookupDomain('a.test');
    assert.ok(late instanceof Promise);
    assert.equal(h.pending.length, 2);
    await h.finish();
    await h.finish();
    await Promise.all([early, late]);
    assert.equal(h.cache.stats().loads, 2);
  });

  void test('DIDs: an old index entry is answered from too, while both copies refresh', async () => {
    const h = harness();
    const tick = () => new Promise((r) => setImmediate(r));
    h.db.set('a.test', snapshotOf('a.test', 1, ['+442071838750']));
    h.didOwner.set('+442071838750', 'a.test');
    const first = h.cache.lookupDid('+442071838750');
    assert.ok(first instanceof Promise);
    await tick(); // the index answers, then the tenant load starts
    await h.finish();
    assert.equal(h.version(await first), 'v1');
    // The number moves to b.test without a message reaching this controller.
    h.db.set('a.test', snapshotOf('a.test', 2));
    h.db.set('b.test', snapshotOf('b.test', 1, ['+442071838750']));
    h.didOwner.set('+442071838750', 'b.test');
    h.clock.now += MAX_AGE;
    assert.equal(h.version(h.cache.lookupDid('+442071838750') as TenantSnapshot), 'v1', 'no wait');
    await tick();
    await h.finish(); // a.test's refresh
    const moved = h.cache.lookupDid('+442071838750');
    assert.ok(moved instanceof Promise, 'the refreshed index points to b.test, loaded for the first time');
    await tick();
    await h.finish();
    assert.equal((await moved)?.tenant.domain, 'b.test');
  });
});
