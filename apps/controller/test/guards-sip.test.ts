// Issue #14, "SIP brute force and scanners" and "unknown users cost nothing": failures FreeSWITCH reports
// (sofia::register_failure, through the double's event socket) ban addresses and lock users; the directory then
// refuses them from memory, before any database work. Clock injected: windows and expiry never wait.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, waitFor } from '@pbx/testing';
import { createExtension, createTenant } from './helpers.js';
import { startGuardRig, type GuardRig } from './guards-harness.js';
import { valueOf } from '@pbx/metrics';

const db = await createTestDatabase();

void describe('SIP guards', () => {
  let r: GuardRig;
  let a: { id: string; domain: string };
  let b: { id: string; domain: string };
  const at = () => r.clock.now.getTime();
  const refused = (reason: string) => valueOf(r.metrics.guardRefused, { reason });

  before(async () => {
    r = await startGuardRig(db.url);
    a = await createTenant(r.prisma, 'a.test');
    b = await createTenant(r.prisma, 'b.test');
    for (const n of ['1001', '1002', '1003'])
      await createExtension(r.prisma, a, n, { password: `a-secret-${n}` });
    await createExtension(r.prisma, b, '1001', { password: 'b-secret-1001' });
  });
  after(async () => {
    await r.close();
  });

  void test('a scanner: 1,000 REGISTERs for invented users and domains from one address are banned after 5; no query after the ban', async () => {
    const scanner = '203.0.113.9';
    const guess = (i: number) =>
      r.phones.register({
        user: String(100 + i),
        realm: `guess${i}.example`,
        password: 'x',
        networkIp: scanner,
      });
    for (let i = 0; i < 5; i++) assert.equal((await guess(i)).status, 403);
    await waitFor('the address ban', () => r.guard.mirror.addressBlocked(scanner, at()));
    const queries = r.queries();
    // Before the ban every invented domain cost a query (the counter sees them).
    assert.ok(queries >= 5, `expected the invented domains to be looked up, saw ${queries} queries`);
    const banned = await refused('address_banned');
    for (let i = 5; i < 1_000; i++) assert.equal((await guess(i)).status, 403);
    assert.equal(r.queries(), queries, 'no database query after the ban');
    assert.equal((await refused('address_banned')) - banned, 995);

    // A real user from another address keeps working.
    const ok = await r.phones.register({
      user: '1001',
      realm: 'b.test',
      password: 'b-secret-1001',
      networkIp: '192.0.2.20',
    });
    assert.equal(ok.status, 200);

    const [block] = await r.guard.store.list(at());
    assert.equal(block?.kind, 'address');
    assert.equal(block?.key, scanner);
    assert.equal(block?.failures, 5);
    assert.equal(block?.until, new Date(at() + 3_600_000).toISOString());
    const alerts = await r.guard.store.alerts(null);
    assert.ok(alerts.some((x) => x.kind === 'address_banned' && x.detail.key === scanner));
    // Tenants are not told about an address ban (it belongs to no tenant).
    assert.deepEqual(await r.guard.store.alerts(a.id), []);

    // The ban ends by itself after an hour.
    r.clock.now = new Date(at() + 3_600_001);
    assert.equal(r.guard.mirror.addressBlocked(scanner, at()), false);
    await r.guard.idle();
  });

  void test('password guessing against one user from 20 addresses locks the user, tells its tenant, and unlock works', async () => {
    const guess = (i: number) =>
      r.phones.register({
        user: '1001',
        realm: 'a.test',
        password: `guess-${i}`,
        networkIp: `192.0.2.${100 + i}`,
      });
    for (let i = 0; i < 20; i++) {
      assert.equal((await guess(i)).status, 403);
      if (i === 9) await waitFor('the lock', () => r.guard.mirror.userLocked('1001', 'a.test', at()));
    }
    await r.guard.idle();
    // One failure per address: no address is banned.
    assert.deepEqual(
      (await r.guard.store.list(at())).map((x) => `${x.kind} ${x.key}`),
      ['user 1001@a.test'],
    );
    // FreeSWITCH was told to forget the user, so the right password is refused too while the lock lasts.
    await r.flushIdle();
    const locked = await refused('user_locked');
    const right = () =>
      r.phones.register({
        user: '1001',
        realm: 'a.test',
        password: 'a-secret-1001',
        networkIp: '192.0.2.50',
      });
    assert.equal((await right()).status, 403);
    assert.equal((await refused('user_locked')) - locked, 1);
    // 1001 of tenant B is another user.
    assert.equal(
      (
        await r.phones.register({
          user: '1001',
          realm: 'b.test',
          password: 'b-secret-1001',
          networkIp: '192.0.2.51',
        })
      ).status,
      200,
    );

    // The tenant admin is told; the other tenant is not.
    const told = await r.guard.store.alerts(a.id);
    assert.ok(told.some((x) => x.kind === 'user_locked' && x.detail.key === '1001@a.test'));
    assert.deepEqual(await r.guard.store.alerts(b.id), []);

    // Tenant B cannot lift A's lock; tenant A can.
    assert.equal(
      await r.guard.store.lift('user', '1001@a.test', { at: at(), by: 'b-admin', tenantId: b.id }),
      null,
    );
    assert.ok(await r.guard.store.lift('user', '1001@a.test', { at: at(), by: 'a-admin', tenantId: a.id }));
    await waitFor(
      'the lift to reach the controller',
      () => !r.guard.mirror.userLocked('1001', 'a.test', at()),
    );
    r.fs.userCache.clear();
    assert.equal((await right()).status, 200);
    await r.guard.idle();
  });

  void test('a lock ends by itself after 15 minutes', async () => {
    for (let i = 0; i < 10; i++)
      await r.phones.register({
        user: '1002',
        realm: 'a.test',
        password: `nope-${i}`,
        networkIp: `192.0.2.${150 + i}`,
      });
    await waitFor('the lock', () => r.guard.mirror.userLocked('1002', 'a.test', at()));
    await r.guard.idle();
    await r.flushIdle();
    const right = () =>
      r.phones.register({
        user: '1002',
        realm: 'a.test',
        password: 'a-secret-1002',
        networkIp: '192.0.2.60',
      });
    assert.equal((await right()).status, 403);
    r.clock.now = new Date(at() + 900_001);
    assert.equal((await right()).status, 200);
    await r.guard.idle();
  });

  void test('failed INVITE authentication counts against the address too', async () => {
    const attacker = '203.0.113.50';
    for (let i = 0; i < 5; i++) {
      const res = await r.phones.send({
        method: 'INVITE',
        user: '1003',
        realm: 'a.test',
        password: `wrong-${i}`,
        toUser: '0044900123456',
        networkIp: attacker,
      });
      assert.equal(res.status, 403);
    }
    await waitFor('the address ban', () => r.guard.mirror.addressBlocked(attacker, at()));
    await r.guard.idle();
    // INVITE failures name the callee in To: they never lock the caller's account.
    assert.equal(r.guard.mirror.userLocked('1003', 'a.test', at()), false);
  });

  void test("a tenant's trusted network is never banned by its own users' failures, and is answered while banned", async () => {
    await r.guard.store.setTrustedNetworks(a.id, ['198.51.100.0/24']);
    await waitFor('the trusted network', () => r.guard.mirror.trusts(a.id, '198.51.100.7'));
    for (let i = 0; i < 6; i++)
      await r.phones.register({
        user: '1003',
        realm: 'a.test',
        password: `typo-${i}`,
        networkIp: '198.51.100.7',
      });
    await r.guard.idle();
    assert.equal(r.guard.mirror.addressBlocked('198.51.100.7', at()), false);

    // The same address failing against another tenant is banned, but still answered for the tenant trusting it.
    for (let i = 0; i < 5; i++)
      await r.phones.register({
        user: '1001',
        realm: 'b.test',
        password: `typo-${i}`,
        networkIp: '198.51.100.7',
      });
    await waitFor('the address ban', () => r.guard.mirror.addressBlocked('198.51.100.7', at()));
    r.fs.userCache.clear();
    const own = await r.phones.register({
      user: '1003',
      realm: 'a.test',
      password: 'a-secret-1003',
      networkIp: '198.51.100.7',
    });
    assert.equal(own.status, 200);
    const other = await r.phones.register({
      user: '1001',
      realm: 'b.test',
      password: 'b-secret-1001',
      networkIp: '198.51.100.7',
    });
    assert.equal(other.status, 403);
    await r.guard.idle();
  });
});
