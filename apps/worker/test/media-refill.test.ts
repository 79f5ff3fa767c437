// The media refill is bounded per run: a volume that lost more than MEDIA_REFILL_BATCH files is refilled by a
// chain of runs, each fetching at most that many, each continuing where the last stopped. A row whose path is not
// its place under MEDIA_DIR is reported and skipped, never written anywhere.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { createJobsConnection } from '@pbx/jobs';
import { mediaLayout } from '@pbx/media';
import { digestFile, LocalStorage, storageKeys, storeVerified } from '@pbx/storage';
import { TEST_REDIS_URL, waitFor } from '@pbx/testing';
import { QueueEvents } from 'bullmq';
import { z } from 'zod';
import { makeWav } from './support/audio.js';
import { harness } from './support/harness.js';

test('a lost volume is refilled over several bounded runs, each going on where the last stopped', async (t) => {
  const h = await harness();
  const storage = new LocalStorage(h.storageDir);
  const media = mediaLayout(h.mediaDir);
  const tenant = await h.prisma.tenant.create({ data: { name: 'Acme', domain: 'acme.pbx.test' } });
  const box = await h.prisma.voicemailBox.create({
    data: { tenantId: tenant.id, number: '1001', name: 'Box', pinHash: 'x' },
  });
  const menu = await h.prisma.ivrMenu.create({
    data: {
      tenantId: tenant.id,
      name: 'Main',
      timeoutDestType: 'HANGUP',
      invalidDestType: 'HANGUP',
      greetingUpdatedAt: new Date(),
    },
  });
  const sha256 = new Map<string, string>();
  const stored = async (path: string, key: string, seconds: number) => {
    await mkdir(dirname(path), { recursive: true });
    await makeWav(path, seconds);
    sha256.set(path, (await storeVerified(storage, key, path, 'audio/wav')).sha256);
    await rm(path); // lost
  };
  const greeting = media.ivrGreeting(tenant.id, menu.id);
  await stored(greeting, storageKeys.greeting(tenant.id, `ivr-${menu.id}.wav`), 1);
  const messages: string[] = [];
  for (let i = 0; i < 5; i++) {
    const id = randomUUID();
    const filePath = media.voicemailMessage(tenant.id, box.id, id);
    await stored(filePath, storageKeys.voicemailMessage(tenant.id, box.id, id), i + 2);
    await h.prisma.voicemailMessage.create({
      data: {
        id,
        tenantId: tenant.id,
        boxId: box.id,
        callUuid: id,
        durationSec: 1,
        filePath,
        storedAt: new Date(),
      },
    });
    messages.push(filePath);
  }
  // A row naming a path outside its place (MEDIA_DIR moved without the rows): reported, nothing written.
  const misplacedId = randomUUID();
  await stored(
    media.voicemailMessage(tenant.id, box.id, misplacedId),
    storageKeys.voicemailMessage(tenant.id, box.id, misplacedId),
    1,
  );
  const elsewhere = join(h.mediaDir, 'old-volume', `${misplacedId}.wav`);
  await h.prisma.voicemailMessage.create({
    data: {
      id: misplacedId,
      tenantId: tenant.id,
      boxId: box.id,
      callUuid: misplacedId,
      durationSec: 1,
      filePath: elsewhere,
      storedAt: new Date(),
    },
  });

  const eventsConnection = createJobsConnection(TEST_REDIS_URL);
  const events = new QueueEvents('maintenance', { connection: eventsConnection, prefix: `${h.prefix}:bull` });
  t.after(async () => {
    await events.close();
    await eventsConnection.quit();
  });
  await events.waitUntilReady();
  // What a run returns, as far as this test reads it (QueueEvents hands the job's return value over untyped).
  const Run = z.object({
    refilled: z.object({ greeting: z.number(), 'voicemail-message': z.number() }),
    missingObjects: z.number(),
    failed: z.number(),
    continued: z.boolean(),
  });
  const runs: z.infer<typeof Run>[] = [];
  const failures: string[] = [];
  events.on('completed', ({ jobId, returnvalue }) => {
    if (jobId.startsWith('repeat:media-refill:') || jobId.startsWith('mediarefill_'))
      runs.push(Run.parse(returnvalue));
  });
  events.on('failed', ({ jobId, failedReason }) => failures.push(`${jobId}: ${failedReason}`));

  const worker = await h.startWorker({
    MEDIA_DIR: h.mediaDir,
    MEDIA_REFILL_BATCH: '2',
    MEDIA_REFILL_EVERY_MINUTES: '60',
  });
  await waitFor(
    'the refill pass to end',
    () => failures.length > 0 || runs.some((r) => !r.continued),
    t.signal,
  );
  assert.deepEqual(failures, []);

  // Seven files to fetch, two per run: the greeting and one message, then two and two messages, then the last.
  assert.deepEqual(
    runs.map((r) => [
      r.refilled.greeting + r.refilled['voicemail-message'] + r.failed + r.missingObjects,
      r.continued,
    ]),
    [
      [2, true],
      [2, true],
      [2, true],
      [1, false],
    ],
  );
  assert.equal(
    runs.reduce((n, r) => n + r.refilled.greeting, 0),
    1,
  );
  assert.equal(
    runs.reduce((n, r) => n + r.refilled['voicemail-message'], 0),
    5,
  );
  assert.equal(
    runs.reduce((n, r) => n + r.failed, 0),
    1,
    'the misplaced row is reported',
  );
  for (const path of [greeting, ...messages]) assert.equal((await digestFile(path)).sha256, sha256.get(path));
  assert.ok(!existsSync(elsewhere), 'nothing is written where the misplaced row points');
  assert.ok(!existsSync(media.voicemailMessage(tenant.id, box.id, misplacedId)), 'nor at its place');
  assert.deepEqual(
    (await readdir(media.voicemailDir(tenant.id, box.id))).filter((f) => f.startsWith('.tmp-')),
    [],
    'no temporary file is left',
  );
  const metrics = await worker.metrics.render();
  assert.ok(metrics.includes('pbx_media_refill_files_total{kind="voicemail-message",outcome="failed"} 1\n'));
  assert.ok(
    metrics.includes('pbx_media_refill_files_total{kind="voicemail-message",outcome="refilled"} 5\n'),
  );
});

test("one message's refill (the controller found its file missing) is scoped by the payload's tenant", async (t) => {
  const h = await harness();
  const storage = new LocalStorage(h.storageDir);
  const media = mediaLayout(h.mediaDir);
  const [mine, other] = [
    await h.prisma.tenant.create({ data: { name: 'Mine', domain: 'mine.pbx.test' } }),
    await h.prisma.tenant.create({ data: { name: 'Other', domain: 'other.pbx.test' } }),
  ];
  const box = await h.prisma.voicemailBox.create({
    data: { tenantId: mine.id, number: '1001', name: 'Box', pinHash: 'x' },
  });
  const id = randomUUID();
  const filePath = media.voicemailMessage(mine.id, box.id, id);
  await mkdir(dirname(filePath), { recursive: true });
  await makeWav(filePath, 2);
  const { sha256 } = await storeVerified(
    storage,
    storageKeys.voicemailMessage(mine.id, box.id, id),
    filePath,
    'audio/wav',
  );
  await h.prisma.voicemailMessage.create({
    data: {
      id,
      tenantId: mine.id,
      boxId: box.id,
      callUuid: id,
      durationSec: 2,
      filePath,
      storedAt: new Date(),
    },
  });

  const eventsConnection = createJobsConnection(TEST_REDIS_URL);
  const events = new QueueEvents('maintenance', { connection: eventsConnection, prefix: `${h.prefix}:bull` });
  t.after(async () => {
    await events.close();
    await eventsConnection.quit();
  });
  await events.waitUntilReady();
  // The scheduled pass would put it back too: its first run is over before the loss, the next an hour away.
  const scheduled = new Promise<void>((resolve) =>
    events.on('completed', ({ jobId }) => {
      if (jobId.startsWith('repeat:media-refill:')) resolve();
    }),
  );
  await h.startWorker({ MEDIA_DIR: h.mediaDir, MEDIA_REFILL_EVERY_MINUTES: '60' });
  await scheduled;
  await rm(filePath);
  let n = 0;
  const run = async (tenantId: string) => {
    const queue = h.queues.queue('mediaRefill');
    const job = await queue.add(
      'refill-media',
      { message: { tenantId, messageId: id } },
      { jobId: `one-${++n}` },
    );
    return job.waitUntilFinished(events, 60_000);
  };
  assert.deepEqual(await run(other.id), { message: 'not-stored' });
  assert.ok(!existsSync(filePath), 'another tenant naming the message puts nothing back');
  assert.ok(!existsSync(media.tenantDir(other.id)));
  assert.deepEqual(await run(mine.id), { message: 'refilled' });
  assert.equal((await digestFile(filePath)).sha256, sha256);
  assert.deepEqual(await run(mine.id), { message: 'present' });
});
