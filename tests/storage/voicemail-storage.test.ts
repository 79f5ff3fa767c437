// Issue 13, "voicemail audio and greetings use the same storage": a deposited message (its file on the media
// volume, as FreeSWITCH leaves it) is copied into the storage by the worker and verified before the row says so;
// the API then streams the stored copy; deleting the message removes both copies. Run against the local backend
// and a real S3-compatible server (s3rver).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { buildApi, loadConfig as loadApiConfig } from '@pbx/api';
import { createDb } from '@pbx/db';
import { generateApiKey } from '@pbx/domain';
import { createJobQueues, createJobsConnection } from '@pbx/jobs';
import { mediaLayout } from '@pbx/media';
import { createStorage, digestFile, storageKeys } from '@pbx/storage';
import { startTestS3 } from '@pbx/storage/test-server';
import { createTestDatabase, TEST_REDIS_URL, testRedisPrefix, waitFor } from '@pbx/testing';
import { buildWorker, loadWorkerConfig } from '@pbx/worker';
import { Redis } from 'ioredis';
import { makeWav } from '../../apps/worker/test/support/audio.js';

async function scenario(t: TestContext, storageEnv: Record<string, string>) {
  const tdb = await createTestDatabase();
  const db = createDb({ databaseUrl: tdb.url, poolSize: 4 });
  const connection = createJobsConnection(TEST_REDIS_URL);
  const redis = new Redis(TEST_REDIS_URL);
  const prefix = testRedisPrefix();
  const queues = createJobQueues({ connection, prefix });
  const mediaDir = await mkdtemp(join(tmpdir(), 'pbx-vmstore-media-'));
  // node:test runs `after` hooks in the order they were added: closed here in reverse, the worker and the API before
  // the connection they share.
  const teardown: Array<() => unknown> = [];
  t.after(async () => {
    for (const close of teardown.reverse()) await close();
    await queues.close();
    await connection.quit();
    redis.disconnect();
    await db.close();
    await rm(mediaDir, { recursive: true, force: true });
  });
  const base = {
    NODE_ENV: 'test',
    DATABASE_URL: tdb.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    MEDIA_DIR: mediaDir,
    ...storageEnv,
  };
  const storage = createStorage(loadWorkerConfig(base));
  teardown.push(() => storage.close());
  const media = mediaLayout(mediaDir);

  const tenant = await db.prisma.tenant.create({ data: { name: 'Vm', domain: 'vm.pbx.test' } });
  const other = await db.prisma.tenant.create({ data: { name: 'Other', domain: 'other.pbx.test' } });
  const box = await db.prisma.voicemailBox.create({
    data: { tenantId: tenant.id, number: '1001', name: 'Box', pinHash: 'x' },
  });
  // What the controller's deposit leaves: the WAV on the media volume and the row (emailState NOT_REQUIRED).
  const deposit = async (callUuid: string, withFile = true) => {
    const id = randomUUID();
    const filePath = media.voicemailMessage(tenant.id, box.id, id);
    await mkdir(join(filePath, '..'), { recursive: true });
    if (withFile) await makeWav(filePath, 3);
    return db.prisma.voicemailMessage.create({
      data: { id, tenantId: tenant.id, boxId: box.id, callUuid, durationSec: 3, filePath },
    });
  };
  const message = await deposit('call-1');
  const lost = await deposit('call-2', false);

  const worker = await buildWorker({
    config: loadWorkerConfig({ ...base, VOICEMAIL_OUTBOX_EVERY_MS: '200', JOB_LOCK_MS: '3000' }),
    prisma: db.prisma,
    connection,
  });
  teardown.push(() => worker.close());

  const row = async (id: string) => db.prisma.voicemailMessage.findUnique({ where: { id } });
  await waitFor('the message stored', async () => (await row(message.id))?.storedAt != null, t.signal);
  await waitFor('the lost file recorded', async () => (await row(lost.id))?.storeError != null, t.signal);

  const key = storageKeys.voicemailMessage(tenant.id, box.id, message.id);
  const local = await digestFile(message.filePath);
  const head = await storage.head(key);
  assert.equal(head?.sizeBytes, local.sizeBytes);
  assert.equal(head.sha256, local.sha256, 'the stored copy is the deposited file, byte for byte');
  assert.ok(existsSync(message.filePath), 'the copy FreeSWITCH plays from stays on the media volume');
  assert.equal((await row(lost.id))?.storedAt, null);
  assert.equal((await row(lost.id))?.storeError, 'the audio file is missing');
  assert.deepEqual(
    (
      await db.prisma.auditLog.findMany({
        where: { action: { startsWith: 'voicemail-message.store' } },
        select: { action: true, entityId: true, tenantId: true },
        orderBy: { action: 'asc' },
      })
    ).map((a) => [a.action, a.entityId, a.tenantId]),
    [
      ['voicemail-message.store-failed', lost.id, tenant.id],
      ['voicemail-message.stored', message.id, tenant.id],
    ],
  );
  const storedAudit = await db.prisma.auditLog.findFirstOrThrow({
    where: { action: 'voicemail-message.stored', entityId: message.id },
  });
  const storedRow = await row(message.id);
  const storedAfter = storedAudit.after as Record<string, unknown>;
  assert.deepEqual(storedAudit.before, { ...storedAfter, storedAt: null }, 'only storedAt changed');
  assert.equal(storedAfter.storedAt, storedRow?.storedAt?.toISOString());
  assert.equal(storedAfter.filePath, message.filePath);

  // A store job naming another tenant finds nothing to copy: its payload's tenant scopes the lookup.
  const foreign = await deposit('call-3');
  const foreignJob = await queues
    .queue('voicemailStore')
    .add('store', { tenantId: other.id, messageId: foreign.id }, { jobId: `vmstore-foreign-${foreign.id}` });
  await waitFor('the foreign job done', () => foreignJob.isCompleted(), t.signal);
  const done = await queues.queue('voicemailStore').getJob(foreignJob.id ?? '');
  assert.deepEqual(done?.returnvalue, { outcome: 'skipped' });
  await waitFor(
    'the message stored by its own job',
    async () => (await row(foreign.id))?.storedAt != null,
    t.signal,
  );
  assert.equal(
    await db.prisma.auditLog.count({ where: { entityId: foreign.id, tenantId: other.id } }),
    0,
    'nothing was written under the other tenant',
  );

  // The API streams the stored copy: it answers with the media volume's file gone.
  const api = await buildApi({
    config: loadApiConfig({ ...base, LOG_LEVEL: 'silent' }),
    prisma: db.prisma,
    redis,
    logger: false,
  });
  teardown.push(() => api.close());
  const apiKey = async (tenantId: string) => {
    const k = generateApiKey();
    await db.prisma.apiKey.create({
      data: {
        name: `admin-${tenantId}`,
        prefix: k.prefix,
        keyHash: k.hash,
        role: 'TENANT_ADMIN',
        tenantId,
        scopes: ['READ', 'WRITE'],
      },
    });
    return k.key;
  };
  const [mine, theirs] = [await apiKey(tenant.id), await apiKey(other.id)];
  const url = (tenantId: string, id: string) =>
    `/v1/tenants/${tenantId}/voicemail-boxes/${box.id}/messages/${id}`;
  const call = (method: 'GET' | 'DELETE', path: string, key: string) =>
    api.inject({ method, url: path, headers: { authorization: `Bearer ${key}` } });

  await rm(message.filePath);
  const res = await call('GET', `${url(tenant.id, message.id)}/audio`, mine);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'audio/wav');
  const saved = join(mediaDir, 'downloaded.wav');
  await writeFile(saved, res.rawPayload);
  assert.equal((await digestFile(saved)).sha256, local.sha256, 'the download is the stored copy');
  assert.equal((await call('GET', `${url(other.id, message.id)}/audio`, theirs)).statusCode, 404);
  assert.equal((await call('GET', `${url(other.id, message.id)}/audio`, mine)).statusCode, 404);

  // A message not stored yet is served from the media volume.
  const fresh = await db.prisma.voicemailMessage.update({
    where: { id: foreign.id },
    data: { storedAt: null, storeError: 'kept out of the outbox for this check' },
  });
  const volume = await call('GET', `${url(tenant.id, fresh.id)}/audio`, mine);
  assert.equal(volume.statusCode, 200, volume.body);
  assert.equal(volume.rawPayload.length, (await digestFile(fresh.filePath)).sizeBytes);

  // Deleting removes the row and both copies; another tenant cannot delete it.
  assert.equal((await call('DELETE', url(other.id, foreign.id), theirs)).statusCode, 404);
  const foreignKey = storageKeys.voicemailMessage(tenant.id, box.id, foreign.id);
  assert.ok(await storage.head(foreignKey), 'still stored after the refused delete');
  assert.equal((await call('DELETE', url(tenant.id, foreign.id), mine)).statusCode, 204);
  assert.equal(await row(foreign.id), null);
  assert.equal(await storage.head(foreignKey), null, 'the stored copy is gone');
  assert.ok(!existsSync(foreign.filePath), 'and the media volume copy');
  assert.ok(await storage.head(key), "the other message's copy stays");
}

test('voicemail audio in the local storage: stored and verified, downloaded from the storage, deleted with both copies', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pbx-vmstore-storage-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await scenario(t, { STORAGE_BACKEND: 'local', STORAGE_DIR: dir });
});

test('voicemail audio in S3 (s3rver): the same', async (t) => {
  const s3 = await startTestS3('pbx-voicemail');
  t.after(() => s3.close());
  await scenario(t, s3.env);
});
