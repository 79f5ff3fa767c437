import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createDb } from '@pbx/db';
import { createJobQueues, createJobsConnection } from '@pbx/jobs';
import { mediaLayout, tempPathFor } from '@pbx/media';
import { LocalStorage, storageKeys } from '@pbx/storage';
import { createTestDatabase, TEST_REDIS_URL, testRedisPrefix } from '@pbx/testing';
import { QueueEvents } from 'bullmq';
import { buildWorker } from '../src/app.js';
import { loadWorkerConfig } from '../src/config.js';

test('the worker schedules the maintenance sweep and runs it against the real database: expired rows, due tenant purges, retention', async () => {
  const tdb = await createTestDatabase();
  const db = createDb({ databaseUrl: tdb.url, poolSize: 2 });
  const connection = createJobsConnection(TEST_REDIS_URL);
  const prefix = testRedisPrefix();
  after(async () => {
    await connection.quit();
    await db.close();
  });

  const user = await db.prisma.user.create({
    data: { email: 'u@example.test', passwordHash: 'x', role: 'PLATFORM_ADMIN' },
  });
  const now = Date.now();
  await db.prisma.session.createMany({
    data: [
      { userId: user.id, tokenHash: 'a'.repeat(64), expiresAt: new Date(now - 60_000) },
      { userId: user.id, tokenHash: 'b'.repeat(64), expiresAt: new Date(now + 3_600_000) },
    ],
  });
  await db.prisma.idempotencyRecord.createMany({
    data: [
      {
        principal: user.id,
        key: 'old',
        requestHash: 'c'.repeat(64),
        responseStatus: 201,
        createdAt: new Date(now - 48 * 3_600_000),
      },
      { principal: user.id, key: 'new', requestHash: 'd'.repeat(64), responseStatus: 201 },
    ],
  });

  // A tenant whose deletion grace period is over (with a recording on disk), one still in its grace.
  const recordingsDir = await mkdtemp(join(tmpdir(), 'pbx-sweep-'));
  after(() => rm(recordingsDir, { recursive: true, force: true }));
  // The storage (local backend) holds the processed copies: READY rows name their key.
  const storageDir = await mkdtemp(join(tmpdir(), 'pbx-sweep-storage-'));
  after(() => rm(storageDir, { recursive: true, force: true }));
  const storage = new LocalStorage(storageDir);
  const stored = async (tenantId: string) => {
    const id = randomUUID();
    const key = storageKeys.recording(tenantId, id, 'mp3');
    const source = join(recordingsDir, `${id}.mp3`);
    await writeFile(source, 'ID3 audio');
    await storage.putFile(key, source);
    await rm(source);
    return { id, filePath: key, format: 'mp3' };
  };
  const due = await db.prisma.tenant.create({
    data: { name: 'Gone', domain: 'gone.pbx.test', status: 'SUSPENDED', purgeAt: new Date(now - 60_000) },
  });
  const kept = await db.prisma.tenant.create({
    data: {
      name: 'Grace',
      domain: 'grace.pbx.test',
      status: 'SUSPENDED',
      purgeAt: new Date(now + 86_400_000),
    },
  });
  await mkdir(join(recordingsDir, due.id));
  const recording = join(recordingsDir, due.id, 'call.wav');
  await writeFile(recording, 'RIFF');
  await db.prisma.callRecording.create({
    data: { tenantId: due.id, callUuid: 'call-1', filePath: recording, state: 'PROCESSING' },
  });
  const dueStored = await db.prisma.callRecording.create({
    data: { tenantId: due.id, callUuid: 'call-2', ...(await stored(due.id)), state: 'READY' },
  });
  // Its greetings under MEDIA_DIR (the other tenant's stay).
  const mediaDir = await mkdtemp(join(tmpdir(), 'pbx-sweep-media-'));
  after(() => rm(mediaDir, { recursive: true, force: true }));
  const media = mediaLayout(mediaDir);
  for (const t of [due, kept]) {
    await mkdir(join(media.tenantDir(t.id), 'greetings'), { recursive: true });
    await writeFile(media.ivrGreeting(t.id, randomUUID()), 'RIFF');
  }
  // What a greeting upload killed mid-write left an hour ago (removed), and one being written now (kept).
  const staleTemp = tempPathFor(media.ivrGreeting(kept.id, randomUUID()));
  const busyTemp = tempPathFor(media.ivrGreeting(kept.id, randomUUID()));
  await writeFile(staleTemp, 'RIFF');
  await writeFile(busyTemp, 'RIFF');
  await utimes(staleTemp, new Date(now - 2 * 3_600_000), new Date(now - 2 * 3_600_000));
  // Failed-login counters of unknown addresses: one whose lock is over, one still counting.
  await db.prisma.loginThrottle.createMany({
    data: [
      { email: 'over@example.test', failedLogins: 0, lockedUntil: new Date(now - 1000) },
      { email: 'counting@example.test', failedLogins: 2 },
    ],
  });

  // Retention: in a live tenant, an expired recording and a voicemail older than the tenant keeps them
  // (365 days by default) go, file and row; a fresh one of each stays, and so does an old message whose
  // e-mail is still queued.
  const live = await db.prisma.tenant.create({ data: { name: 'Live', domain: 'live.pbx.test' } });
  await mkdir(join(recordingsDir, live.id));
  const file = async (name: string) => {
    const path = join(recordingsDir, live.id, name);
    await writeFile(path, 'audio');
    return path;
  };
  const oldRecording = await db.prisma.callRecording.create({
    data: {
      tenantId: live.id,
      callUuid: 'old-call',
      ...(await stored(live.id)),
      sourcePath: await file('old-raw.wav'),
      state: 'READY',
      expiresAt: new Date(now - 1000),
    },
  });
  const newRecording = await db.prisma.callRecording.create({
    data: {
      tenantId: live.id,
      callUuid: 'new-call',
      ...(await stored(live.id)),
      state: 'READY',
      expiresAt: new Date(now + 86_400_000),
    },
  });
  const box = await db.prisma.voicemailBox.create({
    data: { tenantId: live.id, number: '1001', name: 'Box', pinHash: 'x', email: 'box@example.test' },
  });
  // Each message has both copies: the media volume's and the stored one (the store job already ran).
  const message = async (name: string, ageDays: number, emailState: 'NOT_REQUIRED' | 'PENDING') => {
    const id = randomUUID();
    const filePath = await file(`${name}.wav`);
    const key = storageKeys.voicemailMessage(live.id, box.id, id);
    await storage.putFile(key, filePath);
    const row = await db.prisma.voicemailMessage.create({
      data: {
        id,
        tenantId: live.id,
        boxId: box.id,
        callUuid: name,
        durationSec: 3,
        filePath,
        emailState,
        storedAt: new Date(),
        createdAt: new Date(now - ageDays * 86_400_000),
      },
    });
    return { ...row, key };
  };
  const oldMessage = await message('old-vm', 400, 'NOT_REQUIRED');
  const youngMessage = await message('young-vm', 10, 'NOT_REQUIRED');
  const sendingMessage = await message('queued-vm', 400, 'PENDING');
  // A tenant that keeps voicemail forever (voicemailRetentionDays null): its 10-year-old message stays.
  const forever = await db.prisma.tenant.create({
    data: { name: 'Forever', domain: 'forever.pbx.test', voicemailRetentionDays: null },
  });
  const foreverBox = await db.prisma.voicemailBox.create({
    data: { tenantId: forever.id, number: '1001', name: 'Box', pinHash: 'x' },
  });
  const foreverMessage = await db.prisma.voicemailMessage.create({
    data: {
      tenantId: forever.id,
      boxId: foreverBox.id,
      callUuid: 'forever-vm',
      durationSec: 3,
      filePath: await file('forever-vm.wav'),
      storedAt: new Date(),
      createdAt: new Date(now - 3650 * 86_400_000),
    },
  });
  // A stored copy whose message is gone (deleted by phone: the controller has no storage): the sweep removes it.
  const orphanKey = storageKeys.voicemailMessage(live.id, box.id, randomUUID());
  await storage.putFile(orphanKey, youngMessage.filePath);

  const queues = createJobQueues({ connection, prefix });
  const eventsConnection = createJobsConnection(TEST_REDIS_URL);
  const events = new QueueEvents('maintenance', { connection: eventsConnection, prefix: `${prefix}:bull` });
  after(async () => {
    await queues.close();
    await events.close();
    await eventsConnection.quit();
  });
  await events.waitUntilReady();
  const firstRun = new Promise<unknown>((resolve, reject) => {
    // The same queue runs the media refill: only the sweep's own scheduled job counts here.
    const sweepJob = (jobId: string) => jobId.startsWith('repeat:maintenance-sweep:');
    events.on('completed', ({ jobId, returnvalue }) => {
      if (sweepJob(jobId)) resolve(returnvalue);
    });
    events.on('failed', ({ jobId, failedReason }) => {
      if (sweepJob(jobId)) reject(new Error(failedReason));
    });
  });

  const app = await buildWorker({
    config: loadWorkerConfig({
      REDIS_PREFIX: prefix,
      SWEEP_EVERY_MINUTES: '60',
      RECORDINGS_DIR: recordingsDir,
      MEDIA_DIR: mediaDir,
      STORAGE_DIR: storageDir,
    }),
    prisma: db.prisma,
    connection,
  });
  after(() => app.close());

  // The scheduler's first run starts at once.
  assert.deepEqual(await firstRun, {
    sessions: 1,
    idempotencyRecords: 1,
    loginThrottles: 1,
    tenantsPurged: 1,
    tenantPurgesFailed: 0,
    recordingsExpired: 1,
    voicemailsExpired: 1,
    retentionFailed: 0,
    orphanVoicemailCopies: 1,
    tempFilesRemoved: 1,
  });
  assert.ok(!existsSync(staleTemp) && existsSync(busyTemp), 'only the stale temporary file is removed');
  assert.equal(await db.prisma.tenant.count({ where: { id: due.id } }), 0, 'the due tenant is purged');
  assert.equal(await db.prisma.callRecording.count({ where: { tenantId: due.id } }), 0, 'with its rows');
  assert.equal(
    (await db.prisma.callRecording.findUniqueOrThrow({ where: { id: oldRecording.id } })).state,
    'DELETED',
  );
  assert.equal(await storage.head(oldRecording.filePath), null, 'the expired recording copy is gone');
  assert.ok(oldRecording.sourcePath && !existsSync(oldRecording.sourcePath), 'and a raw file left behind');
  assert.equal(
    (await db.prisma.callRecording.findUniqueOrThrow({ where: { id: newRecording.id } })).state,
    'READY',
  );
  assert.ok(await storage.head(newRecording.filePath));
  assert.equal(await db.prisma.voicemailMessage.count({ where: { id: oldMessage.id } }), 0);
  assert.ok(!existsSync(oldMessage.filePath), 'the old voicemail file is gone with its row');
  assert.equal(await storage.head(oldMessage.key), null, 'and so is its stored copy');
  assert.equal(await storage.head(orphanKey), null, 'a stored copy without a message is removed');
  assert.equal(await db.prisma.voicemailMessage.count({ where: { id: foreverMessage.id } }), 1);
  assert.ok(existsSync(foreverMessage.filePath), 'a tenant without voicemail retention keeps its messages');
  for (const kept of [youngMessage, sendingMessage]) {
    assert.equal(await db.prisma.voicemailMessage.count({ where: { id: kept.id } }), 1);
    assert.ok(existsSync(kept.filePath));
    assert.ok(await storage.head(kept.key));
  }
  assert.deepEqual(
    (
      await db.prisma.auditLog.findMany({
        where: { action: { endsWith: 'retention-delete' } },
        select: { action: true, entityId: true, tenantId: true },
        orderBy: { action: 'asc' },
      })
    ).map((a) => [a.action, a.entityId, a.tenantId]),
    [
      ['recording.retention-delete', oldRecording.id, live.id],
      ['voicemail-message.retention-delete', oldMessage.id, live.id],
    ],
  );
  assert.ok(!existsSync(join(recordingsDir, due.id)), 'and its recordings directory');
  assert.equal(await storage.head(dueStored.filePath), null, 'and its stored copies');
  assert.deepEqual(await storage.list(storageKeys.tenant(due.id)), []);
  assert.deepEqual(
    await storage.list(storageKeys.tenant(live.id)),
    [newRecording.filePath, youngMessage.key, sendingMessage.key].sort(),
  );
  assert.ok(!existsSync(media.tenantDir(due.id)), 'and its media directory');
  assert.ok(existsSync(media.tenantDir(kept.id)), "another tenant's media stays");
  assert.equal(
    await db.prisma.tenant.count({ where: { id: kept.id } }),
    1,
    'a tenant in its grace period stays',
  );
  const audit = await db.prisma.auditLog.findFirstOrThrow({
    where: { action: 'tenant.purge', entityId: due.id },
  });
  assert.equal(audit.tenantId, null, 'the purge is audited at platform level');
  assert.deepEqual(
    (await db.prisma.loginThrottle.findMany()).map((t) => t.email),
    ['counting@example.test'],
  );

  const left = await db.prisma.session.findMany();
  assert.deepEqual(
    left.map((s) => s.tokenHash),
    ['b'.repeat(64)],
  );
  assert.deepEqual(
    (await db.prisma.idempotencyRecord.findMany()).map((r) => r.key),
    ['new'],
  );

  // An enqueued run finds nothing more to delete: the sweep is idempotent.
  await queues.enqueue('maintenanceSweep', { olderThanHours: 24 }, 'sweep-test-1');
  const job = await queues.queue('maintenanceSweep').getJob('sweep-test-1');
  assert.ok(job);
  assert.deepEqual(await job.waitUntilFinished(events, 30_000), {
    sessions: 0,
    idempotencyRecords: 0,
    loginThrottles: 0,
    tenantsPurged: 0,
    tenantPurgesFailed: 0,
    recordingsExpired: 0,
    voicemailsExpired: 0,
    retentionFailed: 0,
    orphanVoicemailCopies: 0,
    tempFilesRemoved: 0,
  });

  // The schedule exists exactly once even if the worker is built again (restart or second worker).
  const again = await buildWorker({
    config: loadWorkerConfig({
      REDIS_PREFIX: prefix,
      SWEEP_EVERY_MINUTES: '60',
      RECORDINGS_DIR: recordingsDir,
      MEDIA_DIR: mediaDir,
      STORAGE_DIR: storageDir,
    }),
    prisma: db.prisma,
    connection,
  });
  after(() => again.close());
  const schedulers = await queues.queue('maintenanceSweep').getJobSchedulers();
  assert.deepEqual(schedulers.map((s) => s.key).sort(), ['maintenance-sweep', 'media-refill']);

  await assert.rejects(
    queues.enqueue('maintenanceSweep', { olderThanHours: 0 }, 'bad'),
    /olderThanHours/,
    'payloads are validated before they reach Redis',
  );
});
