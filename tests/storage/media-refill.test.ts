// Issue 13, "refilling a lost media volume": greetings and voicemail messages whose audio is stored but whose file
// is gone from MEDIA_DIR are put back by the worker's scheduled refill-media job, byte for byte, each at its own
// tenant's place; a file that is there is never touched; a stored copy that is missing too is reported, not
// fatal. Run against the local backend and a real S3-compatible server (s3rver).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createDb } from '@pbx/db';
import { createJobQueues, createJobsConnection } from '@pbx/jobs';
import { mediaLayout } from '@pbx/media';
import { createStorage, digestFile, storageKeys, storeVerified } from '@pbx/storage';
import { startTestS3 } from '@pbx/storage/test-server';
import { createTestDatabase, TEST_REDIS_URL, testRedisPrefix } from '@pbx/testing';
import { buildWorker, loadWorkerConfig } from '@pbx/worker';
import { QueueEvents } from 'bullmq';
import { makeWav } from '../../apps/worker/test/support/audio.js';

/** Every file under `dir`, relative, sorted. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

async function scenario(t: TestContext, storageEnv: Record<string, string>) {
  const tdb = await createTestDatabase();
  const db = createDb({ databaseUrl: tdb.url, poolSize: 4 });
  const connection = createJobsConnection(TEST_REDIS_URL);
  const eventsConnection = createJobsConnection(TEST_REDIS_URL);
  const prefix = testRedisPrefix();
  const queues = createJobQueues({ connection, prefix });
  const mediaDir = await mkdtemp(join(tmpdir(), 'pbx-refill-media-'));
  const events = new QueueEvents('maintenance', { connection: eventsConnection, prefix: `${prefix}:bull` });
  const teardown: Array<() => unknown> = [];
  t.after(async () => {
    for (const close of teardown.reverse()) await close();
    await events.close();
    await queues.close();
    await connection.quit();
    await eventsConnection.quit();
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

  // Each file gets audio of its own length, so a file put back at another's place would not match.
  let seconds = 0;
  const sha256 = new Map<string, string>();
  /** A file on the volume and its verified copy in the storage, as the API's greeting upload or the store job leave them. */
  const stored = async (path: string, key: string) => {
    await mkdir(dirname(path), { recursive: true });
    await makeWav(path, ++seconds);
    sha256.set(path, (await storeVerified(storage, key, path, 'audio/wav')).sha256);
    return path;
  };
  const now = new Date();
  const tenant = async (domain: string, purgeAt: Date | null = null) => {
    const row = await db.prisma.tenant.create({ data: { name: domain, domain, purgeAt } });
    const box = await db.prisma.voicemailBox.create({
      data: { tenantId: row.id, number: '1001', name: 'Box', pinHash: 'x' },
    });
    const menu = await db.prisma.ivrMenu.create({
      data: { tenantId: row.id, name: 'Main', timeoutDestType: 'HANGUP', invalidDestType: 'HANGUP' },
    });
    return { id: row.id, box, menu };
  };
  const message = async (owner: { id: string; box: { id: string } }) => {
    const id = randomUUID();
    const filePath = await stored(
      media.voicemailMessage(owner.id, owner.box.id, id),
      storageKeys.voicemailMessage(owner.id, owner.box.id, id),
    );
    await db.prisma.voicemailMessage.create({
      data: {
        id,
        tenantId: owner.id,
        boxId: owner.box.id,
        callUuid: id,
        durationSec: 1,
        filePath,
        storedAt: now,
      },
    });
    return filePath;
  };
  const greeting = (tenantId: string, path: string) =>
    stored(path, storageKeys.greeting(tenantId, path.slice(dirname(path).length + 1)));

  const acme = await tenant('acme.pbx.test');
  const acmeMenuGreeting = await greeting(acme.id, media.ivrGreeting(acme.id, acme.menu.id));
  await db.prisma.ivrMenu.update({ where: { id: acme.menu.id }, data: { greetingUpdatedAt: now } });
  const acmeUnavailable = await greeting(acme.id, media.boxGreeting(acme.id, acme.box.id, 'unavailable'));
  const acmeName = await greeting(acme.id, media.boxGreeting(acme.id, acme.box.id, 'name'));
  await db.prisma.voicemailBox.update({
    where: { id: acme.box.id },
    data: { greetingUnavailableAt: now, greetingNameAt: now },
  });
  const lostMessage = await message(acme);
  const presentMessage = await message(acme);
  const noCopy = await message(acme);

  const other = await tenant('other.pbx.test');
  const otherBusy = await greeting(other.id, media.boxGreeting(other.id, other.box.id, 'busy'));
  await db.prisma.voicemailBox.update({ where: { id: other.box.id }, data: { greetingBusyAt: now } });
  const otherMessage = await message(other);

  // A tenant whose deletion was requested: its files are about to go, nothing is put back for it.
  const leaving = await tenant('leaving.pbx.test', new Date(Date.now() + 86_400_000));
  const leavingGreeting = await greeting(leaving.id, media.ivrGreeting(leaving.id, leaving.menu.id));
  await db.prisma.ivrMenu.update({ where: { id: leaving.menu.id }, data: { greetingUpdatedAt: now } });

  // The losses: files of the first tenant, the second tenant's whole directory, and one message whose stored copy
  // is gone as well. The present message differs from its stored copy: the refill must leave it as it is.
  for (const lost of [acmeMenuGreeting, acmeUnavailable, lostMessage, noCopy, leavingGreeting])
    await rm(lost);
  await rm(media.tenantDir(other.id), { recursive: true });
  const noCopyId = noCopy.slice(dirname(noCopy).length + 1, -'.wav'.length);
  await storage.delete(storageKeys.voicemailMessage(acme.id, acme.box.id, noCopyId));
  await writeFile(presentMessage, 'changed on the volume');
  // Same inode, size, content and change times: not replaced, not rewritten.
  const identity = async (path: string) => {
    const s = await stat(path);
    return [s.ino, s.size, s.mtimeMs, s.ctimeMs];
  };
  const presentBefore = await identity(presentMessage);
  const nameBefore = await identity(acmeName);

  await events.waitUntilReady();
  const refillRuns: unknown[] = [];
  const firstRun = new Promise<unknown>((resolve, reject) => {
    events.on('completed', ({ jobId, returnvalue }) => {
      if (jobId.startsWith('repeat:media-refill:')) resolve(returnvalue);
      if (jobId.startsWith('refill-again')) refillRuns.push(returnvalue);
    });
    events.on('failed', ({ jobId, failedReason }) => {
      if (jobId.includes('refill')) reject(new Error(failedReason));
    });
  });
  const lines: string[] = [];
  const worker = await buildWorker({
    config: loadWorkerConfig({ ...base, MEDIA_REFILL_EVERY_MINUTES: '60', SWEEP_EVERY_MINUTES: '60' }),
    prisma: db.prisma,
    connection,
    log: (line) => lines.push(line),
  });
  teardown.push(() => worker.close());

  // The scheduler's first run starts at once.
  assert.deepEqual(await firstRun, {
    refilled: { greeting: 3, 'voicemail-message': 2 },
    missingObjects: 1,
    failed: 0,
    rowsChecked: 7,
    next: null,
    continued: false,
  });
  for (const path of [acmeMenuGreeting, acmeUnavailable, lostMessage, otherBusy, otherMessage])
    assert.equal(
      (await digestFile(path)).sha256,
      sha256.get(path),
      `${relative(mediaDir, path)} is back as stored`,
    );
  assert.equal(
    await readFile(presentMessage, 'utf8'),
    'changed on the volume',
    'a file that is there is left alone',
  );
  assert.deepEqual(await identity(presentMessage), presentBefore);
  assert.deepEqual(await identity(acmeName), nameBefore);
  assert.ok(
    lines.some((l) => l.includes(noCopyId)),
    'the message without a stored copy is reported',
  );
  // Exactly the files expected, each under its own tenant: nothing of the leaving tenant, no temporary file.
  assert.deepEqual(
    await tree(mediaDir),
    [acmeMenuGreeting, acmeUnavailable, acmeName, lostMessage, presentMessage, otherBusy, otherMessage]
      .map((p) => relative(mediaDir, p))
      .sort(),
  );
  const metrics = await worker.metrics.render();
  for (const [kind, outcome, n] of [
    ['greeting', 'refilled', 3],
    ['voicemail-message', 'refilled', 2],
    ['voicemail-message', 'missing-object', 1],
  ] as const)
    assert.ok(
      metrics.includes(`pbx_media_refill_files_total{kind="${kind}",outcome="${outcome}"} ${n}\n`),
      `${kind} ${outcome} counted`,
    );

  // Another run has nothing to put back, and still only reports the copy that does not exist.
  await queues.queue('mediaRefill').add('refill-media', {}, { jobId: 'refill-again' });
  const again = await queues.queue('mediaRefill').getJob('refill-again');
  assert.ok(again);
  assert.deepEqual(await again.waitUntilFinished(events, 60_000), {
    refilled: { greeting: 0, 'voicemail-message': 0 },
    missingObjects: 1,
    failed: 0,
    rowsChecked: 7,
    next: null,
    continued: false,
  });
}

test('media refill from the local storage: lost greetings and messages put back, byte for byte, each in its own tenant', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pbx-refill-storage-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await scenario(t, { STORAGE_BACKEND: 'local', STORAGE_DIR: dir });
});

test('media refill from S3 (s3rver): the same', async (t) => {
  const s3 = await startTestS3('pbx-refill');
  t.after(() => s3.close());
  await scenario(t, s3.env);
});
