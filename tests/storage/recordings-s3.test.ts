// Issue 13, storage across processes: the worker encodes a real WAV and stores the MP3 in S3 (a real
// S3-compatible server, s3rver, over HTTP), the API streams it back. While S3 is unreachable the raw file
// stays and the job retries; the raw file goes only once HEAD has proven the stored copy.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { buildApi, loadConfig as loadApiConfig } from '@pbx/api';
import { createDb } from '@pbx/db';
import { generateApiKey } from '@pbx/domain';
import { createJobQueues, createJobsConnection, jobs } from '@pbx/jobs';
import { createStorage, digestFile, storageKeys } from '@pbx/storage';
import { startTestS3, type TestS3 } from '@pbx/storage/test-server';
import { createTestDatabase, TEST_REDIS_URL, testRedisPrefix, waitFor } from '@pbx/testing';
import { buildWorker, loadWorkerConfig } from '@pbx/worker';
import { Redis } from 'ioredis';

const run = promisify(execFile);

/** A port nobody listens on yet: where S3 will be, once it is "back". */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('a recording is stored in S3 only after the outage, raw kept until the copy is verified; the API streams it', async (t) => {
  const tdb = await createTestDatabase();
  const db = createDb({ databaseUrl: tdb.url, poolSize: 4 });
  const connection = createJobsConnection(TEST_REDIS_URL);
  const redis = new Redis(TEST_REDIS_URL);
  const prefix = testRedisPrefix();
  const queues = createJobQueues({ connection, prefix });
  const recordingsDir = await mkdtemp(join(tmpdir(), 'pbx-s3-rec-'));
  const mediaDir = await mkdtemp(join(tmpdir(), 'pbx-s3-media-'));
  let s3: TestS3 | null = null;
  after(async () => {
    await queues.close();
    await connection.quit();
    redis.disconnect();
    await db.close();
    await s3?.close();
    await Promise.all([recordingsDir, mediaDir].map((d) => rm(d, { recursive: true, force: true })));
  });

  const port = await freePort();
  const bucket = 'pbx-recordings';
  const s3Env = {
    STORAGE_BACKEND: 's3',
    S3_BUCKET: bucket,
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
  };
  const base = { NODE_ENV: 'test', DATABASE_URL: tdb.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix };
  const worker = await buildWorker({
    config: loadWorkerConfig({
      ...base,
      RECORDINGS_DIR: recordingsDir,
      MEDIA_DIR: mediaDir,
      JOB_LOCK_MS: '3000',
      ...s3Env,
    }),
    prisma: db.prisma,
    connection,
  });
  t.after(() => worker.close());

  const tenant = await db.prisma.tenant.create({ data: { name: 'S3', domain: 's3.pbx.test' } });
  const other = await db.prisma.tenant.create({ data: { name: 'Other', domain: 'other.pbx.test' } });
  await mkdir(join(recordingsDir, tenant.id));
  const raw = join(recordingsDir, tenant.id, 'call-s3.wav');
  await run('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', raw, 'synth', '3', 'sine', '440']);
  const row = await db.prisma.callRecording.create({
    data: { tenantId: tenant.id, callUuid: 'call-s3', filePath: raw, state: 'PROCESSING' },
  });
  // The definition's own backoff (10 s, doubling) is for production; the test retries every 200 ms.
  const job = await queues
    .queue('recordingProcess')
    .add(
      jobs.recordingProcess.name,
      { tenantId: tenant.id, callUuid: 'call-s3', filePath: raw },
      { jobId: 'rec-s3', attempts: 1000, backoff: { type: 'fixed', delay: 200 } },
    );

  // S3 is down: the upload fails, the job is retried, nothing is marked, the raw file stays.
  await waitFor(
    'two failed attempts',
    async () => ((await queues.queue('recordingProcess').getJob('rec-s3'))?.attemptsMade ?? 0) >= 2,
    t.signal,
  );
  const meanwhile = await db.prisma.callRecording.findUniqueOrThrow({ where: { id: row.id } });
  assert.equal(meanwhile.state, 'PROCESSING');
  assert.ok(existsSync(raw), 'the raw file is kept while the copy cannot be stored');
  assert.match(
    (await queues.queue('recordingProcess').getJob('rec-s3'))?.failedReason ?? '',
    /ECONNREFUSED|connect/i,
  );

  // S3 is back: the next attempt stores and verifies the copy, and only then removes the raw file.
  s3 = await startTestS3(bucket, port);
  await waitFor(
    'READY',
    async () =>
      (await db.prisma.callRecording.findUniqueOrThrow({ where: { id: row.id } })).state === 'READY',
    t.signal,
  );
  const ready = await db.prisma.callRecording.findUniqueOrThrow({ where: { id: row.id } });
  const key = storageKeys.recording(tenant.id, row.id, 'mp3');
  assert.equal(ready.filePath, key);
  // The raw file goes right after READY commits (the same job, a moment later).
  await waitFor('the raw file gone once the copy is verified', () => !existsSync(raw), t.signal);
  const storage = createStorage(s3.settings);
  t.after(() => storage.close());
  const head = await storage.head(key);
  assert.equal(head?.sizeBytes, ready.sizeBytes);
  assert.ok(head.sha256, 'the upload carries its SHA-256');
  assert.equal(job.id, 'rec-s3');

  // The API, configured with the same bucket, streams the object back; another tenant cannot reach it.
  const api = await buildApi({
    config: loadApiConfig({ ...base, LOG_LEVEL: 'silent', ...s3Env }),
    prisma: db.prisma,
    redis,
    logger: false,
  });
  t.after(() => api.close());
  const key1 = generateApiKey();
  await db.prisma.apiKey.create({
    data: {
      name: 'admin',
      prefix: key1.prefix,
      keyHash: key1.hash,
      role: 'TENANT_ADMIN',
      tenantId: tenant.id,
      scopes: ['READ'],
    },
  });
  const key2 = generateApiKey();
  await db.prisma.apiKey.create({
    data: {
      name: 'other',
      prefix: key2.prefix,
      keyHash: key2.hash,
      role: 'TENANT_ADMIN',
      tenantId: other.id,
      scopes: ['READ'],
    },
  });
  const download = (tenantId: string, apiKey: string) =>
    api.inject({
      method: 'GET',
      url: `/v1/tenants/${tenantId}/recordings/${row.id}/audio`,
      headers: { authorization: `Bearer ${apiKey}` },
    });
  const res = await download(tenant.id, key1.key);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'audio/mpeg');
  assert.equal(Number(res.headers['content-length']), ready.sizeBytes);
  const saved = join(mediaDir, 'downloaded.mp3');
  await writeFile(saved, res.rawPayload);
  assert.equal((await digestFile(saved)).sha256, head.sha256, 'byte for byte the stored copy');
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'format=duration',
    '-of',
    'csv=p=0',
    saved,
  ]);
  assert.ok(Math.abs(Number(stdout) - 3) < 0.2, `decodes to 3 s (${stdout.trim()})`);

  // Neither the first tenant's key on another tenant's path nor the other tenant's key finds it.
  assert.equal((await download(other.id, key1.key)).statusCode, 404);
  assert.equal((await download(other.id, key2.key)).statusCode, 404);

  // The object gone from S3 (say, a bucket lifecycle rule): a 404, not a 500.
  await storage.delete(key);
  assert.equal((await download(tenant.id, key1.key)).statusCode, 404);
});
