// Issue #14: the abuse guards' blocks and alerts as admins see them. The controllers create them (see
// apps/controller/test/guards-sip.test.ts); here the store is fed the same way and the routes are checked, tenant
// against tenant.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { GuardStore } from '@pbx/events-ingest/guards';
import {
  createTenant,
  expectProblem,
  expectStatus,
  apiKeyIdOf,
  auditOf,
  json,
  startApi,
  type Harness,
  type Tenant,
} from './helpers.js';

const h: Harness = await startApi();
let a: Tenant;
let b: Tenant;
let store: GuardStore;
const scanner = '203.0.113.77';

/** Enough failures to block, as the controller records them. */
async function fail(n: number, f: (i: number) => Parameters<GuardStore['recordFailure']>[0]) {
  for (let i = 0; i < n; i++) await store.recordFailure(f(i));
}

before(async () => {
  a = await createTenant(h, 'GuardA');
  b = await createTenant(h, 'GuardB');
  store = new GuardStore(h.redis, h.prefix);
  const now = Date.now();
  for (const t of [a, b])
    await fail(10, (i) => ({
      eventId: `${t.id}:${i}`,
      address: `192.0.2.${i + 1}`,
      countAddress: true,
      user: { user: '101', domain: t.tenant.domain, tenantId: t.id },
      at: now,
    }));
  await fail(5, (i) => ({ eventId: `scan:${i}`, address: scanner, countAddress: true, at: now }));
});

void describe('guard routes', () => {
  test("a tenant admin sees and lifts only its own users' locks", async () => {
    const mine = await a.api('GET', `${a.base}/guard/locks`);
    expectStatus(mine, 200);
    assert.deepEqual(
      json(mine).items.map((x: { key: string; tenantId: string }) => [x.key, x.tenantId]),
      [[`101@${a.tenant.domain}`, a.id]],
    );
    assert.equal(json(mine).items[0].failures, 10);
    // Another tenant's routes do not exist for it.
    expectProblem(await a.api('GET', `${b.base}/guard/locks`), 404, 'NOT_FOUND');
    expectProblem(await a.api('DELETE', `${b.base}/guard/locks/101`), 404, 'NOT_FOUND');
    // Nor do the platform's.
    expectStatus(await a.api('GET', '/v1/guard/blocks'), 403);
    expectStatus(await a.api('DELETE', `/v1/guard/blocks/address/${scanner}`), 403);

    expectStatus(await a.api('DELETE', `${a.base}/guard/locks/101`), 204);
    expectProblem(await a.api('DELETE', `${a.base}/guard/locks/101`), 404, 'NOT_FOUND');
    // Audited like every admin write: who lifted which lock (once: the second DELETE found nothing), in A's log only.
    const lifts = await auditOf(h, a.id, 'guard.user.lift');
    assert.equal(lifts.length, 1);
    assert.equal(lifts[0]?.actorApiKeyId, await apiKeyIdOf(h, 'GuardA admin'));
    assert.equal(lifts[0]?.entityId, `101@${a.tenant.domain}`);
    assert.equal(lifts[0]?.before?.failures, 10);
    assert.deepEqual(await auditOf(h, b.id, 'guard.user.lift'), []);
    assert.deepEqual(json(await a.api('GET', `${a.base}/guard/locks`)).items, []);
    // B's lock is untouched.
    assert.equal(json(await b.api('GET', `${b.base}/guard/locks`)).items.length, 1);
  });

  test('alerts: the tenant is told about its own locks only; the platform about everything', async () => {
    const kinds = (res: Awaited<ReturnType<Tenant['api']>>) =>
      json(res).items.map((x: { kind: string; detail: { key: string } }) => `${x.kind} ${x.detail.key}`);
    const forA = await a.api('GET', `${a.base}/guard/alerts`);
    expectStatus(forA, 200);
    assert.deepEqual(kinds(forA), [
      `block_lifted 101@${a.tenant.domain}`,
      `user_locked 101@${a.tenant.domain}`,
    ]);
    assert.deepEqual(kinds(await b.api('GET', `${b.base}/guard/alerts`)), [
      `user_locked 101@${b.tenant.domain}`,
    ]);
    const all = kinds(await h.client.as(h.platformKey)('GET', '/v1/guard/alerts'));
    assert.ok(all.includes(`address_banned ${scanner}`));
    assert.ok(all.includes(`user_locked 101@${b.tenant.domain}`));
  });

  test('the platform admin sees every block, gets the ipset list, and lifts a ban', async () => {
    const p = h.client.as(h.platformKey);
    const blocks = await p('GET', '/v1/guard/blocks');
    expectStatus(blocks, 200);
    assert.deepEqual(
      json(blocks)
        .items.map((x: { kind: string; key: string }) => `${x.kind} ${x.key}`)
        .sort(),
      [`address ${scanner}`, `user 101@${b.tenant.domain}`],
    );
    const ipset = await p('GET', '/v1/guard/firewall.ipset');
    expectStatus(ipset, 200);
    assert.match(ipset.body, /^create pbx-banned hash:ip family inet timeout 3600 -exist$/m);
    assert.match(
      ipset.body,
      new RegExp(`^add pbx-banned ${scanner.replaceAll('.', '\\.')} timeout \\d+ -exist$`, 'm'),
    );
    assert.doesNotMatch(ipset.body, /101@/);
    expectStatus(await p('DELETE', `/v1/guard/blocks/address/${scanner}`), 204);
    expectProblem(await p('DELETE', `/v1/guard/blocks/address/${scanner}`), 404, 'NOT_FOUND');
    const lifts = await auditOf(h, null, 'guard.address.lift');
    assert.equal(lifts.length, 1);
    assert.deepEqual([lifts[0]?.tenantId, lifts[0]?.entityId], [null, scanner]);
    assert.notEqual(lifts[0]?.actorApiKeyId, null);
    assert.doesNotMatch((await p('GET', '/v1/guard/firewall.ipset')).body, /^add /m);
  });

  test('trusted networks are per tenant and validated', async () => {
    const put = await a.api('PUT', `${a.base}/guard/trusted-networks`, {
      body: { networks: ['198.51.100.0/24', '2001:db8::/32', '192.0.2.9'] },
    });
    expectStatus(put, 200);
    assert.deepEqual(json(put).networks, ['198.51.100.0/24', '2001:db8::/32', '192.0.2.9']);
    expectStatus(
      await a.api('PUT', `${a.base}/guard/trusted-networks`, { body: { networks: ['10.0.0.0/33'] } }),
      400,
    );
    expectStatus(
      await a.api('PUT', `${a.base}/guard/trusted-networks`, { body: { networks: ['office'] } }),
      400,
    );
    assert.deepEqual(json(await b.api('GET', `${b.base}/guard/trusted-networks`)).networks, []);
    expectProblem(await a.api('GET', `${b.base}/guard/trusted-networks`), 404, 'NOT_FOUND');
  });
});
