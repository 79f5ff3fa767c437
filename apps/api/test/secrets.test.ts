import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTenant, expectStatus, json, loginAs, startApi } from './helpers.js';

const h = await startApi();
const t = await createTenant(h, 'Secret');

void test('secrets appear once at creation and never in later responses, the audit log, stored replays or the logs', async () => {
  const secrets: string[] = [t.adminKey];
  const box = json(
    await t.api('POST', `${t.base}/voicemail-boxes`, {
      body: { number: '800', name: 'Box', pin: '73519' },
      headers: { 'idempotency-key': 'box-1' },
    }),
  );
  secrets.push('73519');
  const ext = json(
    await t.api('POST', `${t.base}/extensions`, {
      body: { number: '100', displayName: 'E', voicemailBoxId: box.id },
      headers: { 'idempotency-key': 'ext-1' },
    }),
  );
  secrets.push(ext.sipPassword);
  const reset = json(await t.api('POST', `${t.base}/extensions/${ext.id}/reset-password`));
  secrets.push(reset.sipPassword);
  const user = json(
    await t.api('POST', `${t.base}/users`, {
      body: {
        email: 'u@example.com',
        password: 'Correct-Horse-Battery-Staple',
        role: 'TENANT_USER',
        extensionId: ext.id,
      },
    }),
  );
  secrets.push('Correct-Horse-Battery-Staple');
  expectStatus(
    await t.api('PATCH', `${t.base}/users/${user.id}`, { body: { password: 'Another-Secret-Password' } }),
    200,
  );
  secrets.push('Another-Secret-Password');
  expectStatus(await t.api('PATCH', `${t.base}/voicemail-boxes/${box.id}`, { body: { pin: '86420' } }), 200);
  secrets.push('86420');
  const key = json(
    await t.api('POST', '/v1/api-keys', { body: { name: 'k' }, headers: { 'idempotency-key': 'key-1' } }),
  );
  secrets.push(key.key);
  const cookie = await loginAs(h, 'u@example.com', 'Another-Secret-Password');
  secrets.push(cookie.split('=')[1] ?? '');

  // The hashes derived from them must not leak either.
  const rows = {
    ext: await h.prisma.extension.findUniqueOrThrow({ where: { id: ext.id } }),
    box: await h.prisma.voicemailBox.findUniqueOrThrow({ where: { id: box.id } }),
    user: await h.prisma.user.findUniqueOrThrow({ where: { id: user.id } }),
    key: await h.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } }),
    session: await h.prisma.session.findFirstOrThrow({ where: { userId: user.id } }),
  };
  const hashes = [
    rows.ext.sipA1Hash,
    rows.box.pinHash,
    rows.user.passwordHash,
    rows.key.keyHash,
    rows.session.tokenHash,
  ];
  const forbidden = [...secrets, ...hashes];

  const readBack = [
    await t.api('GET', `${t.base}/extensions/${ext.id}`),
    await t.api('GET', `${t.base}/extensions`),
    await t.api('GET', `${t.base}/voicemail-boxes/${box.id}`),
    await t.api('GET', `${t.base}/users/${user.id}`),
    await t.api('GET', `${t.base}/users`),
    await t.api('GET', '/v1/api-keys'),
    await t.api('GET', `/v1/api-keys/${key.id}`),
    await t.api('GET', `${t.base}/audit-log`, { query: { limit: '200' } }),
    await h.client.as(cookie)('GET', '/v1/auth/me'),
  ];
  for (const res of readBack) {
    expectStatus(res, 200);
    for (const s of forbidden) assert.ok(!res.body.includes(s), `${res.raw.req.url} leaks a secret`);
  }

  const audit = JSON.stringify(await h.prisma.auditLog.findMany());
  for (const s of forbidden) assert.ok(!audit.includes(s), 'audit rows hold a secret');
  assert.ok(!/sipA1Hash|pinHash|passwordHash|keyHash/.test(audit), 'audit rows hold a hash column');

  // Idempotent replays are stored without the one-time secrets.
  const stored = JSON.stringify(await h.prisma.idempotencyRecord.findMany());
  for (const s of forbidden) assert.ok(!stored.includes(s), 'stored responses hold a secret');
  const replay = await t.api('POST', `${t.base}/extensions`, {
    body: { number: '100', displayName: 'E', voicemailBoxId: box.id },
    headers: { 'idempotency-key': 'ext-1' },
  });
  expectStatus(replay, 201);
  assert.equal(replay.headers['idempotent-replayed'], 'true');
  assert.equal(json(replay).id, ext.id);
  assert.equal(json(replay).sipPassword, undefined);

  const logs = h.logs.join('');
  assert.ok(logs.length > 1000, 'requests were logged');
  for (const s of forbidden) assert.ok(!logs.includes(s), `the logs hold a secret (${s.slice(0, 4)}...)`);
});
