import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createDb } from '@pbx/db';
import { createJobQueues, createJobsConnection } from '@pbx/jobs';
import { createTestDatabase, TEST_REDIS_URL, testRedisPrefix } from '@pbx/testing';
import {
  countMwi,
  createTenantResolver,
  ingestCdrFromEvent,
  ingestJsonCdr,
  mwiCommandFor,
  mwiCountsForBox,
  onRecordStart,
  onRecordStop,
  recordingJobId,
  type HeaderRecord,
} from '../src/index.js';
import { capturedPlainEvents, jsonCdrBody, seedAcme } from './support.js';

const CALL = 'a41e1172-b1e2-45b1-9efd-914a5f935539';
const PATH = '/var/lib/fs-01/recordings/6000-a41e1172-b1e2-45b1-9efd-914a5f935539.wav';

const tdb = await createTestDatabase();
const db = createDb({ databaseUrl: tdb.url, poolSize: 4 });
const redis = createJobsConnection(TEST_REDIS_URL);
after(async () => {
  await db.close();
  redis.disconnect();
});
const { tenantId } = await seedAcme(db.prisma);
const tenants = createTenantResolver(db.prisma);
const events = capturedPlainEvents();
const recordStart = events.find((e) => e['Event-Name'] === 'RECORD_START') as HeaderRecord;
const recordStop = events.find((e) => e['Event-Name'] === 'RECORD_STOP') as HeaderRecord;
const hangup6000 = events.find(
  (e) => e['Event-Name'] === 'CHANNEL_HANGUP_COMPLETE' && e['Unique-ID'] === CALL,
) as HeaderRecord;

async function allJobs(queues: ReturnType<typeof createJobQueues>) {
  return queues
    .queue('recordingProcess')
    .getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized']);
}

describe('recordings', () => {
  test('RECORD_STOP after the CDR: PROCESSING row, CDR linked, one job however often it is delivered', async () => {
    const queues = createJobQueues({ connection: redis, prefix: testRedisPrefix() });
    after(() => queues.close());
    await ingestJsonCdr({ prisma: db.prisma, body: jsonCdrBody('021-cdr-inbound-1001-to-6000'), tenants });

    const first = await onRecordStop({ prisma: db.prisma, queues, event: recordStop, tenants });
    assert.equal(first.action, 'processing');
    const again = await onRecordStop({ prisma: db.prisma, queues, event: recordStop, tenants });
    assert.deepEqual(again, first);

    const rec = await db.prisma.callRecording.findUniqueOrThrow({
      where: { callUuid_filePath: { callUuid: CALL, filePath: PATH } },
    });
    const ext1001 = await db.prisma.extension.findFirstOrThrow({ where: { tenantId, number: '1001' } });
    assert.equal(rec.tenantId, tenantId);
    assert.equal(rec.state, 'PROCESSING');
    assert.equal(rec.format, 'wav');
    assert.equal(rec.durationSec, 3);
    assert.equal(rec.extensionId, ext1001.id);
    const days = ((rec.expiresAt?.getTime() ?? 0) - Date.now()) / 86_400_000;
    assert.ok(days > 89.9 && days <= 90, 'expires after the tenant retention (90 days)');
    const cdr = await db.prisma.cdr.findUniqueOrThrow({ where: { callUuid: CALL } });
    assert.equal(cdr.recordingId, rec.id);

    const jobs = await allJobs(queues);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]?.id, recordingJobId(CALL, PATH));
    assert.deepEqual(jobs[0]?.data, { tenantId, callUuid: CALL, filePath: PATH });

    // Processed meanwhile: a re-delivered RECORD_STOP neither regresses the row nor adds a job.
    await db.prisma.callRecording.update({ where: { id: rec.id }, data: { state: 'READY' } });
    const late = await onRecordStop({ prisma: db.prisma, queues, event: recordStop, tenants });
    assert.equal(late.action, 'already-done');
    assert.equal((await db.prisma.callRecording.findUniqueOrThrow({ where: { id: rec.id } })).state, 'READY');
    assert.equal((await allJobs(queues)).length, 1);
  });

  test('RECORD_START then RECORD_STOP before the CDR: the CDR links the recording when it arrives', async () => {
    await db.prisma.cdr.deleteMany();
    await db.prisma.callRecording.deleteMany();
    const queues = createJobQueues({ connection: redis, prefix: testRedisPrefix() });
    after(() => queues.close());
    await onRecordStart({ prisma: db.prisma, event: recordStart, tenants });
    assert.equal((await db.prisma.callRecording.findFirstOrThrow()).state, 'RECORDING');
    const stop = await onRecordStop({ prisma: db.prisma, queues, event: recordStop, tenants });
    assert.equal(stop.action, 'processing');
    const rec = await db.prisma.callRecording.findFirstOrThrow();
    assert.equal(rec.state, 'PROCESSING');
    await ingestCdrFromEvent({ prisma: db.prisma, event: hangup6000, tenants });
    assert.equal((await db.prisma.cdr.findUniqueOrThrow({ where: { callUuid: CALL } })).recordingId, rec.id);
  });

  test('a recording FreeSWITCH discarded is FAILED and gets no job', async () => {
    const queues = createJobQueues({ connection: redis, prefix: testRedisPrefix() });
    after(() => queues.close());
    const path = '/var/lib/fs-01/recordings/empty.wav';
    const result = await onRecordStop({
      prisma: db.prisma,
      queues,
      event: { ...recordStop, 'Record-File-Path': path, variable_RECORD_DISCARDED: 'true' },
      tenants,
    });
    assert.equal(result.action, 'discarded');
    const rec = await db.prisma.callRecording.findUniqueOrThrow({
      where: { callUuid_filePath: { callUuid: CALL, filePath: path } },
    });
    assert.equal(rec.state, 'FAILED');
    assert.equal((await allJobs(queues)).length, 0);
  });
});

describe('message waiting', () => {
  // Sofia-Profile: without it mod_sofia keeps the profile locked (docs/freeswitch-facts.md §9.3).
  test('the exact sendevent for a box: with Sofia-Profile, without Unique-ID', () => {
    const box = { number: '1001', domain: 'acme.test', profile: 'internal' };
    const cmd = mwiCommandFor({ ...box, newCount: 2, savedCount: 5 });
    assert.equal(
      cmd.wire,
      'sendevent MESSAGE_WAITING\nMWI-Messages-Waiting: yes\nMWI-Message-Account: sip:1001@acme.test\nMWI-Voice-Message: 2/5 (0/0)\nSofia-Profile: internal\n\n',
    );
    assert.ok(!cmd.wire.includes('Unique-ID'));
    assert.equal(
      mwiCommandFor({ ...box, newCount: 0, savedCount: 3 }).wire,
      'sendevent MESSAGE_WAITING\nMWI-Messages-Waiting: no\nMWI-Message-Account: sip:1001@acme.test\nMWI-Voice-Message: 0/3 (0/0)\nSofia-Profile: internal\n\n',
    );
    assert.throws(() => mwiCommandFor({ ...box, number: '1001\nUnique-ID: x', newCount: 1, savedCount: 0 }));
    assert.throws(() =>
      mwiCommandFor({ ...box, profile: 'internal\nUnique-ID: x', newCount: 1, savedCount: 0 }),
    );
  });

  test('counts come from the box messages: unread are new, read are saved', async () => {
    assert.deepEqual(countMwi([{ readAt: null }, { readAt: new Date() }, { readAt: null }]), {
      newCount: 2,
      savedCount: 1,
    });
    const box = await db.prisma.voicemailBox.create({
      data: { tenantId, number: '1001', name: 'Box 1001', pinHash: 'x' },
    });
    const other = await db.prisma.voicemailBox.create({
      data: { tenantId, number: '1002', name: 'Box 1002', pinHash: 'x' },
    });
    const msg = (boxId: string, i: number, read: boolean) => ({
      tenantId,
      boxId,
      callUuid: `vm-${boxId}-${i}`,
      durationSec: 5,
      filePath: `/vm/${i}.wav`,
      readAt: read ? new Date() : null,
    });
    await db.prisma.voicemailMessage.createMany({
      data: [msg(box.id, 1, false), msg(box.id, 2, false), msg(box.id, 3, true), msg(other.id, 4, false)],
    });
    const counts = await mwiCountsForBox(db.prisma, tenantId, box.id);
    assert.deepEqual(counts, { newCount: 2, savedCount: 1 });
    assert.equal(
      mwiCommandFor({ number: box.number, domain: 'acme.test', profile: 'internal', ...counts }).headers.find(
        ([k]) => k === 'MWI-Voice-Message',
      )?.[1],
      '2/1 (0/0)',
    );
  });
});
