import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { recordingJobId } from '@pbx/jobs';
import { waitFor } from '@pbx/testing';
import { makeWav } from './support/audio.js';
import { harness } from './support/harness.js';

const h = await harness();

test('recordings whose RECORD_STOP was lost: found from the CDR and the directory, processed once; calls still going are left alone', async (t) => {
  const tenant = await h.prisma.tenant.create({ data: { name: 'Lost', domain: 'lost.pbx.test' } });
  const ext = await h.prisma.extension.create({
    data: { tenantId: tenant.id, number: '1001', displayName: 'A', sipA1Hash: '0'.repeat(32) },
  });
  const dir = join(h.mediaDir, tenant.id);
  await mkdir(dir, { recursive: true });
  const cdr = (callUuid: string) => {
    const now = new Date();
    return h.prisma.cdr.create({
      data: {
        tenantId: tenant.id,
        callUuid,
        direction: 'INTERNAL',
        fromNumber: '1001',
        toNumber: '1002',
        extensionNumber: '1001',
        startedAt: now,
        endedAt: now,
        durationSec: 3,
        billsec: 3,
        hangupCause: 'NORMAL_CLEARING',
      },
    });
  };
  const wav = async (callUuid: string) => {
    const path = join(dir, `${callUuid}.wav`);
    await makeWav(path, 3);
    return path;
  };

  // RECORD_START arrived, RECORD_STOP did not; the CDR came later (or from the err-log directory).
  const stuckUuid = randomUUID();
  const stuck = await h.prisma.callRecording.create({
    data: { tenantId: tenant.id, callUuid: stuckUuid, filePath: await wav(stuckUuid), state: 'RECORDING' },
  });
  await cdr(stuckUuid);
  // Neither event arrived: only the file and the CDR say the call was recorded.
  const orphanUuid = randomUUID();
  const orphanPath = await wav(orphanUuid);
  await cdr(orphanUuid);
  // The call is still going (no CDR): not touched.
  const liveUuid = randomUUID();
  const live = await h.prisma.callRecording.create({
    data: { tenantId: tenant.id, callUuid: liveUuid, filePath: await wav(liveUuid), state: 'RECORDING' },
  });
  // Ended, but FreeSWITCH left no file (discarded as too short): FAILED with the reason.
  const goneUuid = randomUUID();
  const gone = await h.prisma.callRecording.create({
    data: {
      tenantId: tenant.id,
      callUuid: goneUuid,
      filePath: join(dir, `${goneUuid}.wav`),
      state: 'RECORDING',
    },
  });
  await cdr(goneUuid);
  // A file in another tenant's directory whose call UUID is this tenant's CDR: not adopted by either.
  const other = await h.prisma.tenant.create({ data: { name: 'Other', domain: 'other.pbx.test' } });
  await mkdir(join(h.mediaDir, other.id), { recursive: true });
  const crossUuid = randomUUID();
  const crossPath = join(h.mediaDir, other.id, `${crossUuid}.wav`);
  await makeWav(crossPath, 1);
  await cdr(crossUuid);

  const app = await h.startWorker({ RECORDING_RECONCILE_EVERY_MS: '100' });
  t.after(() => app.close());

  await waitFor(
    'both lost recordings READY',
    async () =>
      (await h.prisma.callRecording.count({ where: { tenantId: tenant.id, state: 'READY' } })) === 2,
    t.signal,
    50,
  );
  const done = await h.prisma.callRecording.findUniqueOrThrow({ where: { id: stuck.id } });
  assert.equal(done.format, 'mp3');
  // Stored under its storage key (the local storage, STORAGE_DIR), not beside the raw file.
  assert.ok(existsSync(join(h.storageDir, done.filePath)));
  // The raw file goes right after READY commits (the same job, a moment later).
  await waitFor('raw deleted after READY', () => !existsSync(join(dir, `${stuckUuid}.wav`)), t.signal, 50);
  const adopted = await h.prisma.callRecording.findFirstOrThrow({ where: { callUuid: orphanUuid } });
  assert.equal(adopted.state, 'READY');
  assert.equal(adopted.sourcePath, orphanPath);
  assert.equal(adopted.extensionId, ext.id);
  assert.ok(adopted.expiresAt);
  for (const uuid of [stuckUuid, orphanUuid]) {
    const row = await h.prisma.cdr.findUniqueOrThrow({ where: { callUuid: uuid } });
    assert.ok(row.recordingId, `CDR of ${uuid} linked`);
  }
  await waitFor(
    'the one without a file FAILED',
    async () =>
      (await h.prisma.callRecording.findUniqueOrThrow({ where: { id: gone.id } })).state === 'FAILED',
    t.signal,
    50,
  );
  assert.match(
    (await h.prisma.callRecording.findUniqueOrThrow({ where: { id: gone.id } })).error ?? '',
    /missing/,
  );

  // Several more reconcile runs change nothing: one row and one job per recording, the live call untouched.
  const runs = async () =>
    (await h.queues.queue('recordingProcess').getJobs(['completed'])).filter((j) => j.name === 'reconcile')
      .length;
  const seen = await runs();
  await waitFor('three more reconcile runs', async () => (await runs()) >= seen + 3, t.signal, 50);
  assert.equal(
    (await h.prisma.callRecording.findUniqueOrThrow({ where: { id: live.id } })).state,
    'RECORDING',
  );
  assert.equal(await h.prisma.callRecording.count({ where: { callUuid: orphanUuid } }), 1);
  assert.equal(await h.prisma.callRecording.count({ where: { callUuid: crossUuid } }), 0);
  assert.ok(existsSync(crossPath));
  const processJobs = (await h.queues.queue('recordingProcess').getJobs(['completed'])).filter(
    (j) => j.name === 'process',
  );
  assert.deepEqual(
    processJobs.map((j) => j.id).sort(),
    [recordingJobId(orphanUuid, orphanPath), recordingJobId(stuckUuid, join(dir, `${stuckUuid}.wav`))].sort(),
  );
  assert.equal(
    await h.prisma.auditLog.count({ where: { action: 'recording.reconciled', tenantId: tenant.id } }),
    2,
  );
});
