import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTenant, expectProblem, expectStatus, json, loginAs, startApi } from './helpers.js';

// Issue #14 item 9: keys act with their creator's current rights, die with the creator's access,
// and mint keys or manage users only when scoped to.
const h = await startApi({ LOGIN_RATE_LIMIT_PER_MIN: '1000' });
const t = await createTenant(h, 'Keys');
const other = await createTenant(h, 'Otherkeys');
const password = 'a long enough password';

async function adminSession(email: string): Promise<{ id: string; session: ReturnType<typeof h.client.as> }> {
  const res = await t.api('POST', `${t.base}/users`, { body: { email, password, role: 'TENANT_ADMIN' } });
  expectStatus(res, 201, 'create admin');
  return { id: json(res).id as string, session: h.client.as(await loginAs(h, email, password)) };
}

async function mint(as: ReturnType<typeof h.client.as>, body: Record<string, unknown>) {
  const res = await as('POST', '/v1/api-keys', { body: { name: 'k', ...body } });
  expectStatus(res, 201, 'mint');
  const created = json(res);
  return { ...created, api: h.client.as(created.key as string) };
}

const extensions = `${t.base}/extensions`;
// Every test below needs at least one other active admin, so none of its admins is the last one.
await adminSession('keeper@example.com');

void describe("a key acts with its creator's current rights", () => {
  void test('creator disabled: refused; enabled again: works; creator deleted: the key is revoked for good', async () => {
    const creator = await adminSession('creator1@example.com');
    const key = await mint(creator.session, { scopes: ['READ', 'WRITE'] });
    assert.equal(key.createdById, creator.id);
    assert.deepEqual(key.scopes, ['READ', 'WRITE']);
    expectStatus(await key.api('GET', extensions), 200);

    expectStatus(await t.api('PATCH', `${t.base}/users/${creator.id}`, { body: { disabled: true } }), 200);
    expectProblem(await key.api('GET', extensions), 401, 'UNAUTHENTICATED');
    expectStatus(await t.api('PATCH', `${t.base}/users/${creator.id}`, { body: { disabled: false } }), 200);
    expectStatus(await key.api('GET', extensions), 200);

    expectStatus(await t.api('DELETE', `${t.base}/users/${creator.id}`), 204);
    expectProblem(await key.api('GET', extensions), 401, 'UNAUTHENTICATED');
    const row = await h.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    assert.ok(row.revokedAt, 'revoked (and still listed) when its creator is deleted');
    const audit = await h.prisma.auditLog.findFirst({
      where: { action: 'api-key.revoke', entityId: key.id },
    });
    assert.equal((audit?.after as { reason?: string }).reason, 'creator deleted');
  });

  void test('creator demoted to TENANT_USER: the key is reduced to that role on its next request', async () => {
    const creator = await adminSession('creator2@example.com');
    const key = await mint(creator.session, {});
    expectStatus(await key.api('GET', extensions), 200);
    expectStatus(
      await t.api('PATCH', `${t.base}/users/${creator.id}`, { body: { role: 'TENANT_USER' } }),
      200,
    );
    expectProblem(await key.api('GET', extensions), 403, 'FORBIDDEN');
    assert.equal(json(await key.api('GET', '/v1/auth/me')).role, 'TENANT_USER');
    expectStatus(
      await t.api('PATCH', `${t.base}/users/${creator.id}`, { body: { role: 'TENANT_ADMIN' } }),
      200,
    );
    expectStatus(await key.api('GET', extensions), 200);
  });
});

void describe('scopes', () => {
  void test('a default key (READ, WRITE) can neither mint keys nor manage users; a WRITE-only key cannot read', async () => {
    const key = await mint(t.api, {});
    assert.deepEqual(key.scopes, ['READ', 'WRITE']);
    expectProblem(await key.api('POST', '/v1/api-keys', { body: { name: 'child' } }), 403, 'FORBIDDEN');
    expectProblem(
      await key.api('POST', `${t.base}/users`, {
        body: { email: 'sneaky@example.com', password, role: 'TENANT_ADMIN' },
      }),
      403,
      'FORBIDDEN',
    );
    expectStatus(await key.api('GET', `${t.base}/users`), 200);
    expectStatus(await key.api('POST', extensions, { body: { number: '301', displayName: 'Scoped' } }), 201);

    const writeOnly = await mint(t.api, { scopes: ['WRITE'] });
    const denied = await writeOnly.api('GET', extensions);
    expectProblem(denied, 403, 'FORBIDDEN');
    assert.equal(json(denied).details.missingScope, 'READ');
  });

  void test('USERS alone manages tenant users but cannot create, promote or take over an admin', async () => {
    const key = await mint(t.api, { scopes: ['READ', 'USERS'] });
    const user = await key.api('POST', `${t.base}/users`, {
      body: { email: 'plain@example.com', password, role: 'TENANT_USER' },
    });
    expectStatus(user, 201);
    const userUrl = `${t.base}/users/${json(user).id}`;
    expectProblem(await key.api('PATCH', userUrl, { body: { role: 'TENANT_ADMIN' } }), 403, 'FORBIDDEN');
    expectProblem(
      await key.api('POST', `${t.base}/users`, {
        body: { email: 'boss@example.com', password, role: 'TENANT_ADMIN' },
      }),
      403,
      'FORBIDDEN',
    );
    const keeper = await h.prisma.user.findUniqueOrThrow({ where: { email: 'keeper@example.com' } });
    expectProblem(
      await key.api('PATCH', `${t.base}/users/${keeper.id}`, { body: { password: 'taken over by a key' } }),
      403,
      'FORBIDDEN',
    );
    expectStatus(await key.api('DELETE', userUrl), 204);
  });

  void test('a key mints only with API_KEYS, never beyond its own scopes or expiry, for the same user', async () => {
    const creator = await adminSession('minter@example.com');
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const parent = await mint(creator.session, { scopes: ['READ', 'API_KEYS'], expiresAt });
    const tooMuch = await parent.api('POST', '/v1/api-keys', {
      body: { name: 'c', scopes: ['READ', 'WRITE'] },
    });
    expectProblem(tooMuch, 403, 'FORBIDDEN', 'scopes');
    const later = new Date(Date.now() + 2 * 86_400_000).toISOString();
    expectProblem(
      await parent.api('POST', '/v1/api-keys', { body: { name: 'c', scopes: ['READ'], expiresAt: later } }),
      400,
      'VALIDATION_FAILED',
      'expiresAt',
    );
    const child = await mint(parent.api, { scopes: ['READ'] });
    assert.equal(child.parentKeyId, parent.id);
    assert.equal(child.createdById, creator.id, 'acts for the same user as its parent');
    assert.equal(child.expiresAt, new Date(expiresAt).toISOString(), "inherits the parent's expiry");
    expectProblem(
      await parent.api('POST', '/v1/api-keys', { body: { name: 'c', tenantId: other.id, scopes: ['READ'] } }),
      403,
      'FORBIDDEN',
      'tenantId',
    );
  });

  void test('scopes are validated', async () => {
    expectProblem(
      await t.api('POST', '/v1/api-keys', { body: { name: 'x', scopes: ['ROOT'] } }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await t.api('POST', '/v1/api-keys', { body: { name: 'x', scopes: [] } }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await t.api('POST', '/v1/api-keys', { body: { name: 'x', scopes: ['READ', 'READ'] } }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

void describe('revocation', () => {
  void test('revoking a key revokes every key it minted, however deep; other keys stay', async () => {
    const parent = await mint(t.api, { scopes: ['READ', 'API_KEYS'] });
    const child = await mint(parent.api, { scopes: ['READ', 'API_KEYS'] });
    const grandchild = await mint(child.api, { scopes: ['READ'] });
    const sibling = await mint(t.api, { scopes: ['READ'] });
    expectStatus(await grandchild.api('GET', extensions), 200);

    expectStatus(await t.api('DELETE', `/v1/api-keys/${parent.id}`), 204);
    for (const k of [parent, child, grandchild])
      expectProblem(await k.api('GET', extensions), 401, 'UNAUTHENTICATED');
    expectStatus(await sibling.api('GET', extensions), 200);
    const listed = json(
      await t.api('GET', '/v1/api-keys', { query: { includeRevoked: 'true', limit: '200' } }),
    );
    for (const k of [parent, child, grandchild]) {
      const row = listed.items.find((i: { id: string }) => i.id === k.id);
      assert.ok(row?.revokedAt, `${k.id} listed as revoked`);
    }
  });

  void test('revoking needs API_KEYS and stays within the tenant', async () => {
    const reader = await mint(t.api, { scopes: ['READ'] });
    const victim = await mint(t.api, { scopes: ['READ'] });
    expectProblem(await reader.api('DELETE', `/v1/api-keys/${victim.id}`), 403, 'FORBIDDEN');
    const foreign = await mint(other.api, { scopes: ['READ'] });
    expectProblem(await t.api('DELETE', `/v1/api-keys/${foreign.id}`), 404, 'NOT_FOUND');
    expectStatus(await foreign.api('GET', `${other.base}/extensions`), 200);
  });
});
