import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { TEST_REDIS_URL, waitFor } from '@pbx/testing';
import { makeWav } from './support/audio.js';
import { harness } from './support/harness.js';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

test("a worker SIGKILLed mid-encode: the recording is processed by the next worker, raw deleted only after, the dead encoder's scratch file swept", async (t) => {
  const h = await harness();
  const children: ChildProcess[] = [];
  after(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));
  const startChild = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: h.dbUrl,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: h.prefix,
        RECORDINGS_DIR: h.mediaDir,
        MEDIA_DIR: h.mediaDir,
        STORAGE_DIR: h.storageDir,
        // Short enough that the dead worker's job is handed over within seconds, long enough that a living
        // worker on a loaded machine renews its lock in time (3 s lapsed on CI at load 23: the job ran twice).
        JOB_LOCK_MS: '10000',
        WORKER_METRICS_PORT: '0',
        RECORDING_RECONCILE_EVERY_MS: '200',
      },
      stdio: 'ignore',
    });
    children.push(child);
    return child;
  };

  const tenant = await h.prisma.tenant.create({ data: { name: 'Killed', domain: 'killed-rec.pbx.test' } });
  const dir = join(h.mediaDir, tenant.id);
  await mkdir(dir, { recursive: true });
  const filePath = join(dir, 'long.wav');
  // Long enough that the encode is still running when the worker is killed.
  await makeWav(filePath, 1800);
  const row = await h.prisma.callRecording.create({
    data: { tenantId: tenant.id, callUuid: 'call-killed-rec', filePath, state: 'PROCESSING' },
  });
  await h.queues.enqueue(
    'recordingProcess',
    { tenantId: tenant.id, callUuid: row.callUuid, filePath },
    'rec-killed',
  );
  const parts = () => readdirSync(dir).filter((f) => f.endsWith('.part'));

  const first = startChild();
  await waitFor('the first worker encoding', () => parts().length === 1, t.signal, 20);
  first.kill('SIGKILL');
  await once(first, 'exit');
  const [orphan] = parts();
  assert.ok(orphan);
  assert.equal(
    (await h.prisma.callRecording.findUniqueOrThrow({ where: { id: row.id } })).state,
    'PROCESSING',
  );
  assert.ok(existsSync(filePath), 'the raw file is kept while nothing is stored');

  startChild();
  await waitFor(
    'READY after the hand-over',
    async () => (await h.prisma.callRecording.findUniqueOrThrow({ where: { id: row.id } })).state === 'READY',
    t.signal,
    50,
  );
  // The raw file goes right after READY commits, and then the job completes.
  const jobs = h.queues.queue('recordingProcess');
  await waitFor(
    'the job completed',
    async () => (await jobs.getJobState('rec-killed')) === 'completed',
    t.signal,
    50,
  );
  const done = await h.prisma.callRecording.findUniqueOrThrow({ where: { id: row.id } });
  assert.ok(!existsSync(filePath), 'raw deleted after the stored copy was verified');
  // The stored copy's key (the local storage under STORAGE_DIR): tenant-first, by recording id.
  assert.equal(done.filePath, `tenants/${tenant.id}/recordings/${row.id}.mp3`);
  // The pipeline decoded the encoded copy and checked its length before READY.
  assert.equal(done.durationSec, 1800);
  assert.ok(existsSync(join(h.storageDir, done.filePath)));

  // The dead encoder's scratch copy: the reconcile sweep removes it once no encode could still own it.
  const old = new Date(Date.now() - 2 * 3_600_000);
  await utimes(join(dir, orphan), old, old);
  await waitFor('the orphaned scratch file removed', () => parts().length === 0, t.signal, 50);
  assert.deepEqual(readdirSync(dir), []);
});
