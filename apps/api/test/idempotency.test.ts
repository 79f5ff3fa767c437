import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTenant, expectProblem, expectStatus, json, startApi } from './helpers.js';
import { waitFor } from '@pbx/testing';

const h = await startApi();
const t = await createTenant(h, 'Idem');

void test('Idempotency-Key: same request replays the stored answer, a different one is refused', async () => {
  const body = { number: '800', name: 'Box', pin: '1234' };
  const first = await t.api('POST', `${t.base}/voicemail-boxes`, {
    body,
    headers: { 'idempotency-key': 'abc-1' },
  });
  expectStatus(first, 201);
  const again = await t.api('POST', `${t.base}/voicemail-boxes`, {
    body,
    headers: { 'idempotency-key': 'abc-1' },
  });
  expectStatus(again, 201);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.deepEqual(json(again), json(first));
  assert.equal(await h.prisma.voicemailBox.count({ where: { tenantId: t.id } }), 1, 'created once');

  const other = await t.api('POST', `${t.base}/voicemail-boxes`, {
    body: { ...body, name: 'Other' },
    headers: { 'idempotency-key': 'abc-1' },
  });
  expectProblem(other, 422, 'IDEMPOTENCY_MISMATCH');
  // Keys are private to their sender: another principal may use the same key.
  const p = h.client.as(h.platformKey);
  expectStatus(
    await p('POST', `${t.base}/voicemail-boxes`, {
      body: { ...body, number: '801' },
      headers: { 'idempotency-key': 'abc-1' },
    }),
    201,
  );
  // Errors are replayed too (a retry cannot turn a refused write into a different one).
  const dup = await t.api('POST', `${t.base}/voicemail-boxes`, {
    body,
    headers: { 'idempotency-key': 'abc-2' },
  });
  expectProblem(dup, 409, 'CONFLICT', 'number');
  const dupAgain = await t.api('POST', `${t.base}/voicemail-boxes`, {
    body,
    headers: { 'idempotency-key': 'abc-2' },
  });
  expectProblem(dupAgain, 409, 'CONFLICT', 'number');
  assert.equal(dupAgain.headers['idempotent-replayed'], 'true');
  const del = json(first).id as string;
  expectStatus(
    await t.api('DELETE', `${t.base}/voicemail-boxes/${del}`, { headers: { 'idempotency-key': 'del-1' } }),
    204,
  );
  const delAgain = await t.api('DELETE', `${t.base}/voicemail-boxes/${del}`, {
    headers: { 'idempotency-key': 'del-1' },
  });
  expectStatus(delAgain, 204);
  expectProblem(
    await t.api('POST', `${t.base}/voicemail-boxes`, { body, headers: { 'idempotency-key': 'bad key!' } }),
    400,
    'VALIDATION_FAILED',
    'Idempotency-Key',
  );
});

void test('If-Match: updates with a stale ETag get 412, a current one succeeds', async () => {
  const ext = await t.api('POST', `${t.base}/extensions`, { body: { number: '100', displayName: 'E' } });
  const id = json(ext).id as string;
  const got = await t.api('GET', `${t.base}/extensions/${id}`);
  const etag = String(got.headers.etag);
  assert.match(etag, /^".+"$/);
  assert.equal(String(ext.headers.etag), etag);
  const ok = await t.api('PATCH', `${t.base}/extensions/${id}`, {
    body: { dnd: true },
    headers: { 'if-match': etag },
  });
  expectStatus(ok, 200);
  const newTag = String(ok.headers.etag);
  assert.notEqual(newTag, etag);
  expectProblem(
    await t.api('PATCH', `${t.base}/extensions/${id}`, {
      body: { dnd: false },
      headers: { 'if-match': etag },
    }),
    412,
    'PRECONDITION_FAILED',
  );
  assert.equal(
    json(await t.api('GET', `${t.base}/extensions/${id}`)).dnd,
    true,
    'the stale update changed nothing',
  );
  expectStatus(
    await t.api('PATCH', `${t.base}/extensions/${id}`, {
      body: { dnd: false },
      headers: { 'if-match': newTag },
    }),
    200,
  );
  expectStatus(
    await t.api('PATCH', `${t.base}/extensions/${id}`, { body: { dnd: true }, headers: { 'if-match': '*' } }),
    200,
  );

  // Child-list changes move the parent's ETag too.
  const menu = await t.api('POST', `${t.base}/ivr-menus`, {
    body: {
      name: 'M',
      timeoutDestination: { type: 'HANGUP' },
      invalidDestination: { type: 'HANGUP' },
    },
  });
  const menuTag = String(menu.headers.etag);
  // The ETag is made of updatedAt in milliseconds (packages/domain/src/shared/version.ts): a change in
  // the same millisecond would keep it. Wait for the clock to pass it rather than for a fixed time.
  const createdMs = parseInt(menuTag.slice(1).split('-')[0] ?? '', 36);
  await waitFor("the clock to pass the menu's updatedAt", () => Date.now() > createdMs);
  const changed = await t.api('PATCH', `${t.base}/ivr-menus/${json(menu).id}`, {
    body: { options: [{ digits: '1', destination: { type: 'HANGUP' } }] },
    headers: { 'if-match': menuTag },
  });
  expectStatus(changed, 200);
  assert.notEqual(String(changed.headers.etag), menuTag);
});

void test('Idempotency-Key: concurrent duplicates run once; an abandoned claim is taken over', async () => {
  const body = { number: '850', name: 'Race', pin: '1234' };
  const send = () =>
    t.api('POST', `${t.base}/voicemail-boxes`, { body, headers: { 'idempotency-key': 'race-1' } });
  const results = await Promise.all([send(), send(), send()]);
  const statuses = results.map((r) => r.statusCode).sort();
  assert.ok(
    statuses.every((s) => s === 201 || s === 409),
    statuses.join(),
  );
  assert.ok(statuses.includes(201));
  for (const r of results) if (r.statusCode === 409) expectProblem(r, 409, 'CONFLICT', 'Idempotency-Key');
  assert.equal(
    await h.prisma.voicemailBox.count({ where: { tenantId: t.id, number: '850' } }),
    1,
    'the write ran once',
  );

  const key = await h.prisma.apiKey.findFirstOrThrow({ where: { tenantId: t.id } });
  const { sha256 } = await import('@pbx/domain');
  const url = `${t.base}/voicemail-boxes`;
  const orphan = { number: '851', name: 'Orphan', pin: '1234' };
  await h.prisma.idempotencyRecord.create({
    data: {
      principal: key.id,
      key: 'orphan-1',
      requestHash: sha256(JSON.stringify(['POST', url, orphan])),
      responseStatus: 0,
      createdAt: new Date(Date.now() - 10 * 60_000),
    },
  });
  expectStatus(await t.api('POST', url, { body: orphan, headers: { 'idempotency-key': 'orphan-1' } }), 201);
});
