import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { createDb, type Db } from '@pbx/db';
import { createJobQueues, createJobsConnection, type JobQueues } from '@pbx/jobs';
import { createTestDatabase, TEST_REDIS_URL, testRedisPrefix } from '@pbx/testing';
import { buildWorker, type WorkerApp } from '../../src/app.js';
import { loadWorkerConfig, type WorkerConfig } from '../../src/config.js';

export type Harness = {
  prisma: Db;
  dbUrl: string;
  mediaDir: string;
  /** The local storage backend's directory (the default; `env` may name S3 instead). */
  storageDir: string;
  queues: JobQueues;
  prefix: string;
  /** A worker with this file's database, a fresh Redis prefix per call unless given, and `env` on top. */
  startWorker: (
    env: Record<string, string>,
    prefix?: string,
  ) => Promise<WorkerApp & { config: WorkerConfig }>;
};

/** One database and media directory per test file; workers are closed when the file ends. */
export async function harness(): Promise<Harness> {
  const tdb = await createTestDatabase();
  const db = createDb({ databaseUrl: tdb.url, poolSize: 6 });
  const connection = createJobsConnection(TEST_REDIS_URL);
  const prefix = testRedisPrefix();
  const queues = createJobQueues({ connection, prefix });
  const mediaDir = await mkdtemp(join(tmpdir(), 'pbx-worker-media-'));
  const storageDir = await mkdtemp(join(tmpdir(), 'pbx-worker-storage-'));
  const apps: WorkerApp[] = [];
  after(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await queues.close();
    await connection.quit();
    await db.close();
    await rm(mediaDir, { recursive: true, force: true });
    await rm(storageDir, { recursive: true, force: true });
  });
  return {
    prisma: db.prisma,
    dbUrl: tdb.url,
    mediaDir,
    storageDir,
    queues,
    prefix,
    startWorker: async (env, workerPrefix = prefix) => {
      const config = loadWorkerConfig({
        NODE_ENV: 'test',
        DATABASE_URL: tdb.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: workerPrefix,
        RECORDINGS_DIR: mediaDir,
        STORAGE_DIR: storageDir,
        VOICEMAIL_EMAIL_RETRY_BASE_MS: '20',
        VOICEMAIL_OUTBOX_EVERY_MS: '200',
        PORTAL_URL: 'https://portal.example.test',
        MAIL_FROM: 'voicemail@pbx.example.test',
        ...env,
      });
      const app = await buildWorker({ config, prisma: db.prisma, connection });
      apps.push(app);
      return { ...app, config };
    },
  };
}
