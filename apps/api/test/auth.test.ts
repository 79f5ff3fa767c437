import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256 } from '@pbx/domain';
import {
  createPlatformAdmin,
  createTenant,
  expectProblem,
  expectStatus,
  json,
  loginAs,
  startApi,
} from './helpers.js';

const h = await startApi({ LOGIN_MAX_FAILURES: '3', LOGIN_RATE_LIMIT_PER_MIN: '1000' });
const t = await createTenant(h, 'Auth');
await createPlatformAdmin(h, 'root@example.com', 'platform admin password');
const admin = await t.api('POST', `${t.base}/users`, {
  body: { email: 'admin@example.com', password: 'tenant admin password', role: 'TENANT_ADMIN', name: 'Ada' },
});
expectStatus(admin, 201);

void describe('sessions', () => {
  void test('login sets a hashed, HTTP-only, SameSite=Lax session; me and logout', async () => {
    const res = await h.client.anon('POST', '/v1/auth/login', {
      body: { email: 'admin@example.com', password: 'tenant admin password' },
    });
    expectStatus(res, 200);
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /^pbx_session=[\w-]{40,};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/, 'SESSION_COOKIE_SECURE defaults to false for local use');
    const token = /^pbx_session=([^;]+)/.exec(cookie)?.[1] ?? '';
    const session = await h.prisma.session.findFirstOrThrow({
      where: { user: { email: 'admin@example.com' } },
    });
    assert.equal(session.tokenHash, sha256(token), 'only the SHA-256 of the token is stored');
    const body = json(res);
    assert.equal(body.role, 'TENANT_ADMIN');
    assert.equal(body.tenant.id, t.id);

    const session2 = `pbx_session=${token}`;
    const me = json(await h.client.as(session2)('GET', '/v1/auth/me'));
    assert.equal(me.user.email, 'admin@example.com');
    expectStatus(await h.client.as(session2)('GET', `${t.base}/extensions`), 200);
    expectStatus(await h.client.as(session2)('POST', '/v1/auth/logout'), 204);
    expectProblem(await h.client.as(session2)('GET', '/v1/auth/me'), 401, 'UNAUTHENTICATED');
  });

  void test('secure cookies when configured', async () => {
    const secure = await startApi({ SESSION_COOKIE_SECURE: 'true' });
    await createPlatformAdmin(secure, 'sec@example.com', 'platform admin password');
    const res = await secure.client.anon('POST', '/v1/auth/login', {
      body: { email: 'sec@example.com', password: 'platform admin password' },
    });
    assert.match(String(res.headers['set-cookie']), /Secure/);
  });

  void test('after N failures an address is locked: "locked, try again at <time>" whatever the password, alike for unknown addresses; logins audited with IP, never the password', async () => {
    const attempt = (email: string, password: string) =>
      h.client.anon('POST', '/v1/auth/login', { body: { email, password } });
    const unknown = await attempt('nobody@example.com', 'whatever it is');
    expectProblem(unknown, 401, 'UNAUTHENTICATED');
    await createPlatformAdmin(h, 'victim@example.com', 'the right password');
    const lockTimes: Record<string, string> = {};
    for (const email of ['victim@example.com', 'ghost@example.com']) {
      for (let i = 0; i < 2; i++) {
        const wrong = await attempt(email, `wrong ${i}`);
        expectProblem(wrong, 401, 'UNAUTHENTICATED');
        assert.equal(json(wrong).detail, json(unknown).detail, 'wrong password = unknown address');
      }
      const third = await attempt(email, 'wrong 2');
      expectProblem(third, 423, 'ACCOUNT_LOCKED');
      const until = json(third).details.lockedUntil as string;
      assert.ok(Date.parse(until) > Date.now());
      assert.equal(json(third).detail, `too many failed logins: locked, try again at ${until}`);
      assert.ok(Number(third.headers['retry-after']) > 0, 'Retry-After');
      lockTimes[email] = until;
    }
    const user = await h.prisma.user.findUniqueOrThrow({ where: { email: 'victim@example.com' } });
    assert.equal(user.lockedUntil?.toISOString(), lockTimes['victim@example.com']);
    // The right password does not get through, nor does it answer differently (guessing stays stopped).
    const locked = await attempt('victim@example.com', 'the right password');
    expectProblem(locked, 423, 'ACCOUNT_LOCKED');
    assert.equal(json(locked).details.lockedUntil, lockTimes['victim@example.com']);
    expectProblem(await attempt('ghost@example.com', 'anything at all'), 423, 'ACCOUNT_LOCKED');

    await h.prisma.user.update({
      where: { id: user.id },
      data: { lockedUntil: new Date(Date.now() - 1000) },
    });
    await loginAs(h, 'victim@example.com', 'the right password');

    const rows = await h.prisma.auditLog.findMany({
      where: { action: { startsWith: 'auth.' } },
      orderBy: { createdAt: 'asc' },
    });
    const of = (email: string) =>
      rows.filter((r) => (r.after as { email?: string } | null)?.email === email).map((r) => r.action);
    assert.deepEqual(of('victim@example.com'), [
      'auth.login-failed',
      'auth.login-failed',
      'auth.login-failed',
      'auth.lockout',
      'auth.login-refused',
      'auth.login',
    ]);
    assert.deepEqual(of('ghost@example.com'), [
      'auth.login-failed',
      'auth.login-failed',
      'auth.login-failed',
      'auth.lockout',
      'auth.login-refused',
    ]);
    for (const r of rows) assert.equal(r.ip, '127.0.0.1', `${r.action} has the client IP`);
    const victimRows = rows.filter((r) => r.entityId === user.id);
    assert.equal(victimRows.length, 6, 'attributed to the account');
    assert.ok(victimRows.every((r) => r.actorUserId === user.id && r.tenantId === null));
    const ghost = rows.find((r) => (r.after as { email?: string }).email === 'ghost@example.com');
    assert.equal(ghost?.entityId, null, 'unknown addresses name no account');
    const text = JSON.stringify(rows);
    for (const secret of ['the right password', 'wrong 0', 'wrong 2', 'anything at all'])
      assert.ok(!text.includes(secret), 'never the password');
  });

  void test("tenant admins see their users' logins in the tenant audit log", async () => {
    await loginAs(h, 'admin@example.com', 'tenant admin password');
    const page = json(await t.api('GET', `${t.base}/audit-log`, { query: { limit: '200' } }));
    assert.ok(
      page.items.some(
        (e: { action: string; ip: string }) => e.action === 'auth.login' && e.ip === '127.0.0.1',
      ),
      JSON.stringify(page.items.map((e: { action: string }) => e.action)),
    );
  });

  void test('disabled users cannot log in and lose their sessions', async () => {
    const created = json(
      await t.api('POST', `${t.base}/users`, {
        body: { email: 'temp@example.com', password: 'temporary password', role: 'TENANT_ADMIN' },
      }),
    );
    const cookie = await loginAs(h, 'temp@example.com', 'temporary password');
    expectStatus(await t.api('PATCH', `${t.base}/users/${created.id}`, { body: { disabled: true } }), 200);
    expectProblem(await h.client.as(cookie)('GET', '/v1/auth/me'), 401, 'UNAUTHENTICATED');
    expectProblem(
      await h.client.anon('POST', '/v1/auth/login', {
        body: { email: 'temp@example.com', password: 'temporary password' },
      }),
      401,
      'UNAUTHENTICATED',
    );
  });

  void test('per-IP rate limit on login', async () => {
    const limited = await startApi({ LOGIN_RATE_LIMIT_PER_MIN: '3' });
    const attempt = () =>
      limited.client.anon('POST', '/v1/auth/login', {
        body: { email: 'x@example.com', password: 'nope nope nope' },
      });
    for (let i = 0; i < 3; i++) expectProblem(await attempt(), 401, 'UNAUTHENTICATED');
    const res = await attempt();
    expectProblem(res, 429, 'RATE_LIMITED');
    assert.ok(res.headers['retry-after']);
  });
});

void describe('API keys', () => {
  void test('created once, listed by prefix only, stored as SHA-256, revocable', async () => {
    const res = await t.api('POST', '/v1/api-keys', { body: { name: 'CRM sync' } });
    expectStatus(res, 201);
    const created = json(res);
    assert.match(created.key, /^pbx_/);
    assert.equal(created.role, 'TENANT_ADMIN');
    assert.equal(created.tenantId, t.id);
    assert.ok(created.key.startsWith(created.prefix));
    const row = await h.prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    assert.equal(row.keyHash, sha256(created.key));

    const list = await t.api('GET', '/v1/api-keys');
    assert.ok(!list.body.includes(created.key), 'the key is never listed');
    assert.ok(
      json(list).items.some((k: { id: string; key?: string }) => k.id === created.id && k.key === undefined),
    );
    assert.ok(!(await t.api('GET', `/v1/api-keys/${created.id}`)).body.includes(created.key));

    const crm = h.client.as(created.key);
    expectStatus(await crm('GET', `${t.base}/extensions`), 200);
    expectStatus(await t.api('DELETE', `/v1/api-keys/${created.id}`), 204);
    expectProblem(await crm('GET', `${t.base}/extensions`), 401, 'UNAUTHENTICATED');
    const afterRevoke = json(await t.api('GET', '/v1/api-keys', { query: { includeRevoked: 'true' } }));
    assert.ok(afterRevoke.items.find((k: { id: string }) => k.id === created.id).revokedAt);
    assert.ok(
      !json(await t.api('GET', '/v1/api-keys')).items.some((k: { id: string }) => k.id === created.id),
    );
  });

  void test('platform keys and expiry', async () => {
    const p = h.client.as(h.platformKey);
    const platformKey = json(await p('POST', '/v1/api-keys', { body: { name: 'billing' } }));
    assert.equal(platformKey.role, 'PLATFORM_ADMIN');
    assert.equal(platformKey.tenantId, null);
    expectStatus(await h.client.as(platformKey.key)('GET', '/v1/tenants'), 200);
    expectProblem(
      await p('POST', '/v1/api-keys', { body: { name: 'old', expiresAt: '2000-01-01T00:00:00Z' } }),
      400,
      'VALIDATION_FAILED',
      'expiresAt',
    );
    const soon = json(
      await p('POST', '/v1/api-keys', {
        body: { name: 'short', tenantId: t.id, expiresAt: new Date(Date.now() + 60_000).toISOString() },
      }),
    );
    await h.prisma.apiKey.update({ where: { id: soon.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expectProblem(await h.client.as(soon.key)('GET', `${t.base}/extensions`), 401, 'UNAUTHENTICATED');
    expectProblem(
      await p('POST', '/v1/api-keys', {
        body: { name: 'x', tenantId: '00000000-0000-4000-8000-000000000000' },
      }),
      400,
      'VALIDATION_FAILED',
      'tenantId',
    );
  });

  void test('tenant users cannot manage keys; platform routes need a platform admin', async () => {
    const cookie = await loginAs(h, 'root@example.com', 'platform admin password');
    expectStatus(await h.client.as(cookie)('GET', '/v1/tenants'), 200);
    expectStatus(await h.client.as(cookie)('GET', `${t.base}/extensions`), 200);
    expectProblem(
      await t.api('POST', '/v1/tenants', { body: { name: 'x', domain: 'x.pbx.test' } }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await t.api('GET', '/v1/audit-log'), 403, 'FORBIDDEN');
  });
});

void test("a suspended tenant's admins and keys are shut out; platform admins still manage it", async () => {
  const s = await createTenant(h, 'Paused');
  expectStatus(
    await s.api('POST', `${s.base}/users`, {
      body: { email: 'paused@example.com', password: 'paused admin password', role: 'TENANT_ADMIN' },
    }),
    201,
  );
  const cookie = await loginAs(h, 'paused@example.com', 'paused admin password');
  const p = h.client.as(h.platformKey);
  expectStatus(await p('PATCH', `/v1/tenants/${s.id}`, { body: { status: 'SUSPENDED' } }), 200);
  expectProblem(await s.api('GET', `${s.base}/extensions`), 401, 'UNAUTHENTICATED');
  expectProblem(await h.client.as(cookie)('GET', `${s.base}/extensions`), 401, 'UNAUTHENTICATED');
  expectProblem(
    await h.client.anon('POST', '/v1/auth/login', {
      body: { email: 'paused@example.com', password: 'paused admin password' },
    }),
    403,
    'FORBIDDEN',
  );
  expectStatus(await p('GET', `${s.base}/extensions`), 200);
  expectStatus(await p('PATCH', `/v1/tenants/${s.id}`, { body: { status: 'ACTIVE' } }), 200);
  expectStatus(await s.api('GET', `${s.base}/extensions`), 200);
});

void test('users change their own password; other sessions end; API keys have none', async () => {
  await t.api('POST', `${t.base}/users`, {
    body: { email: 'self@example.com', password: 'first password here', role: 'TENANT_ADMIN' },
  });
  const current = await loginAs(h, 'self@example.com', 'first password here');
  const other = await loginAs(h, 'self@example.com', 'first password here');
  const change = (body: unknown) => h.client.as(current)('POST', '/v1/auth/password', { body });
  expectProblem(
    await change({ currentPassword: 'wrong', newPassword: 'second password here' }),
    400,
    'VALIDATION_FAILED',
    'currentPassword',
  );
  expectProblem(
    await change({ currentPassword: 'first password here', newPassword: 'short' }),
    400,
    'VALIDATION_FAILED',
    'newPassword',
  );
  expectStatus(
    await change({ currentPassword: 'first password here', newPassword: 'second password here' }),
    204,
  );
  expectStatus(await h.client.as(current)('GET', '/v1/auth/me'), 200, 'the session that changed it stays');
  expectProblem(await h.client.as(other)('GET', '/v1/auth/me'), 401, 'UNAUTHENTICATED');
  expectProblem(
    await h.client.anon('POST', '/v1/auth/login', {
      body: { email: 'self@example.com', password: 'first password here' },
    }),
    401,
    'UNAUTHENTICATED',
  );
  await loginAs(h, 'self@example.com', 'second password here');
  expectProblem(
    await t.api('POST', '/v1/auth/password', {
      body: { currentPassword: 'x', newPassword: 'second password here' },
    }),
    403,
    'FORBIDDEN',
  );
  const audit = await h.prisma.auditLog.findFirstOrThrow({ where: { action: 'user.change-password' } });
  assert.equal(audit.tenantId, t.id);
});
