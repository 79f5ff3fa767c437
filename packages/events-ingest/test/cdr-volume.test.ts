import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createDb, type Db } from '@pbx/db';
import { createJobQueues, createJobsConnection, type JobQueues } from '@pbx/jobs';
import { createTestDatabase, TEST_REDIS_URL, testRedisPrefix } from '@pbx/testing';
import {
  createTenantResolver,
  ingestCdrFromEvent,
  ingestJsonCdr,
  onRecordStop,
  recordingJobId,
} from '../src/index.js';
import { seedAcme } from './support.js';
import { shuffled, syntheticCalls, type SyntheticCall } from './synthetic.js';

const tdb = await createTestDatabase();
const N = 1000;

type Item = { kind: 'json' | 'event' | 'record'; call: SyntheticCall };

/**
 * What a controller does with the stream: up to `concurrency` items in
 * flight, each acknowledged only once its function resolved. `signal`
 * "kills" it: nothing new starts, and whatever is in flight is abandoned.
 */
async function runIngester(opts: {
  prisma: Db;
  queues: JobQueues;
  items: readonly Item[];
  concurrency: number;
  acked?: Set<string>;
  killAfterAcks?: number;
  /** Called (not awaited) at the kill: e.g. closes the pool under the in-flight statements. */
  onKill?: () => Promise<void>;
}): Promise<{ acked: number; killed: boolean; abandoned: number }> {
  const tenants = createTenantResolver(opts.prisma);
  let next = 0;
  let acked = 0;
  let killed = false;
  let abandoned = 0;
  let killing: Promise<void> | undefined;
  const worker = async (): Promise<void> => {
    while (!killed && next < opts.items.length) {
      const item = opts.items[next++];
      if (!item) break;
      try {
        if (item.kind === 'json')
          await ingestJsonCdr({ prisma: opts.prisma, body: JSON.stringify(item.call.jsonBody), tenants });
        else if (item.kind === 'event')
          await ingestCdrFromEvent({ prisma: opts.prisma, event: item.call.hangup, tenants });
        else if (item.call.recordStop)
          await onRecordStop({
            prisma: opts.prisma,
            queues: opts.queues,
            event: item.call.recordStop,
            tenants,
          });
      } catch (error) {
        if (!killed) throw error;
        abandoned++; // died with the process: never acknowledged
        return;
      }
      if (killed) {
        abandoned++; // finished after the "crash": the ack never reached FreeSWITCH
        return;
      }
      acked++;
      opts.acked?.add(`${item.kind}:${item.call.uuid}`);
      if (opts.killAfterAcks !== undefined && acked >= opts.killAfterAcks) {
        killed = true;
        killing = opts.onKill?.();
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  await killing;
  return { acked, killed, abandoned };
}

function streamOf(calls: readonly SyntheticCall[], seed: number): Item[] {
  const items: Item[] = [];
  for (const call of calls) {
    items.push({ kind: 'json', call }, { kind: 'event', call });
    if (call.recordStop) items.push({ kind: 'record', call });
  }
  return shuffled(items, seed);
}

async function assertExactly(prisma: Db, calls: readonly SyntheticCall[], tenantId: string): Promise<void> {
  assert.equal(await prisma.cdr.count(), calls.length);
  const rows = new Map((await prisma.cdr.findMany()).map((r) => [r.callUuid, r]));
  for (const call of calls) {
    const row = rows.get(call.uuid);
    assert.ok(row, `missing CDR ${call.uuid}`);
    assert.equal(row.tenantId, tenantId);
    assert.equal(row.direction, call.expected.direction);
    assert.equal(row.fromNumber, call.expected.fromNumber);
    assert.equal(row.toNumber, call.expected.toNumber);
    assert.equal(row.billsec, call.expected.billsec);
    assert.equal(row.durationSec, call.expected.durationSec);
    assert.equal(row.hangupCause, call.expected.hangupCause);
    assert.equal(row.answeredAt !== null, call.expected.answered);
    assert.equal(row.extensionNumber, call.expected.fromNumber);
  }
}

async function jobIds(queues: JobQueues): Promise<string[]> {
  const jobs = await queues
    .queue('recordingProcess')
    .getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized']);
  return jobs.map((j) => j.id ?? '').sort();
}

describe('CDR ingestion at volume', () => {
  const dbA = createDb({ databaseUrl: tdb.url, poolSize: 8 });
  const dbB = createDb({ databaseUrl: tdb.url, poolSize: 8 });
  const redisA = createJobsConnection(TEST_REDIS_URL);
  const redisB = createJobsConnection(TEST_REDIS_URL);
  after(async () => {
    await Promise.all([dbA.close(), dbB.close()]);
    redisA.disconnect();
    redisB.disconnect();
  });

  test('1,000 synthetic calls (json_cdr and HANGUP_COMPLETE for each, shuffled) → exactly 1,000 correct CDRs', async () => {
    const { tenantId } = await seedAcme(dbA.prisma);
    const prefix = testRedisPrefix();
    const queues = createJobQueues({ connection: redisA, prefix });
    after(() => queues.close());
    const calls = syntheticCalls(N, 1);
    const result = await runIngester({
      prisma: dbA.prisma,
      queues,
      items: streamOf(calls, 7),
      concurrency: 8,
    });
    assert.equal(result.acked, 2 * N + N / 10);
    await assertExactly(dbA.prisma, calls, tenantId);
    const recordings = await dbA.prisma.callRecording.findMany();
    assert.equal(recordings.length, N / 10);
    assert.ok(recordings.every((r) => r.state === 'PROCESSING' && r.tenantId === tenantId));
    const linked = await dbA.prisma.cdr.count({ where: { recordingId: { not: null } } });
    assert.equal(linked, N / 10, 'every recorded call links its recording, whichever came first');
    assert.equal((await jobIds(queues)).length, N / 10);
  });

  test('json_cdr and HANGUP_COMPLETE of the same call at the same instant, from two controllers → one row each', async () => {
    await dbA.prisma.tenant.deleteMany();
    const { tenantId } = await seedAcme(dbA.prisma);
    const calls = syntheticCalls(300, 4);
    const tenantsA = createTenantResolver(dbA.prisma);
    const tenantsB = createTenantResolver(dbB.prisma);
    for (let i = 0; i < calls.length; i += 20) {
      const batch = calls.slice(i, i + 20);
      const results = await Promise.all(
        batch.flatMap((c) => [
          ingestJsonCdr({ prisma: dbA.prisma, body: c.jsonBody, tenants: tenantsA }),
          ingestCdrFromEvent({ prisma: dbB.prisma, event: c.hangup, tenants: tenantsB }),
          ingestJsonCdr({ prisma: dbB.prisma, body: c.jsonBody, tenants: tenantsB }),
        ]),
      );
      for (let j = 0; j < batch.length; j++) {
        const inserted = results.slice(j * 3, j * 3 + 3).filter((r) => r.inserted).length;
        assert.equal(inserted, 1, 'exactly one of the racing writers inserted');
      }
    }
    await assertExactly(dbA.prisma, calls, tenantId);
  });

  test('an ingester killed mid-run, then a fresh one replaying the whole stream → no loss, no duplicates', async () => {
    await dbA.prisma.tenant.deleteMany();
    const { tenantId } = await seedAcme(dbA.prisma);
    const prefix = testRedisPrefix();
    const calls = syntheticCalls(N, 2);
    const items = streamOf(calls, 11);

    // The first ingester has its own pool; killing it abandons in-flight statements by closing that pool.
    const tdbUrl = tdb.url;
    const doomed = createDb({ databaseUrl: tdbUrl, poolSize: 8 });
    const doomedQueues = createJobQueues({ connection: redisA, prefix });
    const acked = new Set<string>();
    const first = await runIngester({
      prisma: doomed.prisma,
      queues: doomedQueues,
      items,
      concurrency: 8,
      acked,
      killAfterAcks: 700,
      onKill: () => doomed.close(),
    });
    assert.equal(first.killed, true);
    assert.ok(first.abandoned > 0, 'work was in flight at the kill');
    await doomedQueues.close();
    const partial = await dbA.prisma.cdr.count();
    assert.ok(partial > 0 && partial < N, `the first run stored part of the calls (${partial})`);
    for (const key of acked) {
      if (!key.startsWith('record:')) {
        const uuid = key.slice(key.indexOf(':') + 1);
        assert.equal(
          await dbA.prisma.cdr.count({ where: { callUuid: uuid } }),
          1,
          `acked ${key} is committed`,
        );
      }
    }

    // FreeSWITCH re-sends what was not acknowledged; replaying everything is the worst case.
    const queues = createJobQueues({ connection: redisB, prefix });
    after(() => queues.close());
    await runIngester({ prisma: dbB.prisma, queues, items, concurrency: 8 });
    await assertExactly(dbA.prisma, calls, tenantId);
    assert.equal(await dbA.prisma.callRecording.count(), N / 10);
    assert.deepEqual(
      await jobIds(queues),
      calls
        .filter((c) => c.expected.filePath)
        .map((c) => recordingJobId(c.uuid, c.expected.filePath ?? ''))
        .sort(),
    );
  });

  test('two controllers ingesting the same 1,000 calls concurrently → 1,000 rows and one job per recording', async () => {
    await dbA.prisma.tenant.deleteMany();
    const { tenantId } = await seedAcme(dbA.prisma);
    const prefix = testRedisPrefix();
    const queuesA = createJobQueues({ connection: redisA, prefix });
    const queuesB = createJobQueues({ connection: redisB, prefix });
    after(() => Promise.all([queuesA.close(), queuesB.close()]));
    const calls = syntheticCalls(N, 3);
    // Each controller gets every event (both are subscribed to the same FreeSWITCH), in its own order.
    const [a, b] = await Promise.all([
      runIngester({ prisma: dbA.prisma, queues: queuesA, items: streamOf(calls, 21), concurrency: 6 }),
      runIngester({ prisma: dbB.prisma, queues: queuesB, items: streamOf(calls, 22), concurrency: 6 }),
    ]);
    assert.equal(a.acked, b.acked);
    await assertExactly(dbA.prisma, calls, tenantId);
    assert.equal(await dbA.prisma.callRecording.count(), N / 10);
    const ids = await jobIds(queuesA);
    assert.equal(ids.length, N / 10);
    assert.equal(new Set(ids).size, N / 10);
  });
});
