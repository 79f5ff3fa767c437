import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createDb } from '@pbx/db';
import { createTestDatabase } from '@pbx/testing';
import {
  buildCdrRow,
  CdrWriter,
  createTenantResolver,
  legFromJsonCdr,
  writeCdr,
  type CdrBatchInfo,
  type CdrRow,
} from '../src/index.js';
import { seedAcme } from './support.js';
import { syntheticCalls } from './synthetic.js';

const tdb = await createTestDatabase();
const db = createDb({ databaseUrl: tdb.url, poolSize: 4 });
// A second pool, to look at the table the way another session (the API) would.
const observer = createDb({ databaseUrl: tdb.url, poolSize: 1 });
after(async () => {
  await db.close();
  await observer.close();
});
const { tenantId } = await seedAcme(db.prisma);
const tenants = createTenantResolver(db.prisma);

let salt = 100;
async function rows(n: number): Promise<CdrRow[]> {
  const out: CdrRow[] = [];
  for (const call of syntheticCalls(n, salt++))
    out.push(await buildCdrRow(legFromJsonCdr(call.jsonBody), tenants));
  return out;
}

function recordingWriter(options: { maxBatch?: number; maxInFlight?: number } = {}) {
  const batches: CdrBatchInfo[] = [];
  const writer = new CdrWriter({ prisma: db.prisma, ...options, onBatch: (b) => batches.push(b) });
  return { writer, batches };
}

describe('CdrWriter: CDR rows batched into multi-row upserts', () => {
  test('rows handed over in one turn of the event loop go as one statement; each caller learns its own row after the commit', async () => {
    const { writer, batches } = recordingWriter();
    const batch = await rows(40);
    const seenCommitted: boolean[] = [];
    const results = await Promise.all(
      batch.map((row) =>
        writer.write(row).then(async (result) => {
          // Resolved means committed: another session sees the row already.
          seenCommitted.push((await observer.prisma.cdr.count({ where: { callUuid: row.callUuid } })) === 1);
          return result;
        }),
      ),
    );
    await writer.idle();
    assert.deepEqual(
      batches.map((b) => [b.rows, b.failed]),
      [[40, 0]],
    );
    assert.deepEqual(
      results.map((r) => r.callUuid),
      batch.map((r) => r.callUuid),
    );
    assert.ok(results.every((r) => r.inserted && r.tenantId === tenantId));
    assert.ok(seenCommitted.every(Boolean));
    assert.equal(writer.pending, 0);

    // Written again (a re-post, another controller): nothing inserted, nothing doubled.
    const again = await Promise.all(batch.map((row) => writer.write(row)));
    assert.ok(again.every((r) => !r.inserted));
    assert.equal(
      await db.prisma.cdr.count({ where: { callUuid: { in: batch.map((r) => r.callUuid) } } }),
      40,
    );
  });

  test('a full batch leaves at once; rows arriving while a statement runs gather into the next one', async () => {
    const { writer, batches } = recordingWriter({ maxBatch: 10, maxInFlight: 1 });
    const batch = await rows(25);
    const pending = batch.slice(0, 10).map((row) => writer.write(row));
    // The tenth row filled a batch, which left without waiting for the next turn.
    assert.equal(writer.waiting, 0);
    assert.equal(writer.pending, 10);
    pending.push(...batch.slice(10).map((row) => writer.write(row)));
    assert.equal(writer.waiting, 15);
    await Promise.all(pending);
    await writer.idle();
    assert.deepEqual(
      batches.map((b) => b.rows),
      [10, 10, 5],
    );
  });

  test('two copies of one leg at once: separate statements, one inserted, the later one only fills what was empty', async () => {
    const { writer, batches } = recordingWriter();
    const [first] = await rows(1);
    assert.ok(first);
    const bare: CdrRow = { ...first, answeredAt: null, extensionNumber: null, bridgeUuid: null };
    const full: CdrRow = { ...first, fromName: 'a later name', billsec: 999 };
    const [a, b] = await Promise.all([writer.write(bare), writer.write(full)]);
    await writer.idle();
    assert.equal(batches.length, 2, 'PostgreSQL cannot update one row twice in a statement');
    assert.equal(a?.inserted, true);
    assert.equal(b?.inserted, false);
    const stored = await db.prisma.cdr.findUniqueOrThrow({ where: { callUuid: first.callUuid } });
    assert.equal(stored.answeredAt?.toISOString(), first.answeredAt?.toISOString());
    assert.equal(stored.extensionNumber, first.extensionNumber);
    assert.equal(stored.bridgeUuid, first.bridgeUuid);
    assert.equal(stored.fromName, bare.fromName, 'filled fields are never overwritten');
    assert.equal(stored.billsec, bare.billsec);
  });

  test("another tenant's row is left alone, batched or not", async () => {
    const { writer } = recordingWriter();
    const other = await db.prisma.tenant.create({ data: { name: 'Other', domain: 'other.test' } });
    const [mine, theirs] = await rows(2);
    assert.ok(mine && theirs);
    await writer.write(mine);
    const results = await Promise.all([
      writer.write({ ...mine, tenantId: other.id, answeredAt: new Date(), extensionNumber: '9999' }),
      writer.write(theirs),
    ]);
    assert.deepEqual(
      results.map((r) => r.inserted),
      [false, true],
    );
    const stored = await db.prisma.cdr.findUniqueOrThrow({ where: { callUuid: mine.callUuid } });
    assert.equal(stored.tenantId, tenantId);
    assert.equal(stored.extensionNumber, mine.extensionNumber);
  });

  test('rows the database refuses fail alone; the rest of their batch is committed', async () => {
    const { writer, batches } = recordingWriter();
    const batch = await rows(9);
    // Tenants deleted between resolving and writing: the foreign key refuses those rows.
    for (const i of [2, 7])
      batch[i] = { ...(batch[i] as CdrRow), tenantId: `00000000-0000-4000-8000-00000000dea${i}` };
    const settled = await Promise.allSettled(batch.map((row) => writer.write(row)));
    await writer.idle();
    assert.deepEqual(
      settled.map((s, i) => (s.status === 'rejected' ? i : -1)).filter((i) => i >= 0),
      [2, 7],
    );
    const failure = settled[2];
    assert.ok(failure?.status === 'rejected');
    assert.match(String(failure.reason), /foreign key/i);
    assert.deepEqual(
      batches.map((b) => [b.rows, b.failed]),
      [[9, 2]],
    );
    assert.equal(await db.prisma.cdr.count({ where: { callUuid: { in: batch.map((r) => r.callUuid) } } }), 7);
  });

  test('the database unreachable: every row of the batch is rejected, none reported written', async () => {
    const down = createDb({ databaseUrl: tdb.url.replace(/:\d+\//, ':1/'), poolSize: 1 });
    after(() => down.close());
    const batches: CdrBatchInfo[] = [];
    const writer = new CdrWriter({ prisma: down.prisma, onBatch: (b) => batches.push(b) });
    const settled = await Promise.allSettled((await rows(3)).map((row) => writer.write(row)));
    await writer.idle();
    assert.ok(settled.every((s) => s.status === 'rejected'));
    assert.deepEqual(
      batches.map((b) => [b.rows, b.failed]),
      [[3, 3]],
    );
    assert.equal(writer.pending, 0);
    await writer.idle();
  });

  test('text that is not valid UTF-16 is stored with U+FFFD, as the one-row statement always did', async () => {
    const [row] = await rows(1);
    assert.ok(row);
    const odd = { ...row, fromName: `A\ud800B` };
    await writeCdr(db.prisma, odd);
    const stored = await db.prisma.cdr.findUniqueOrThrow({ where: { callUuid: row.callUuid } });
    assert.equal(stored.fromName, 'A\ufffdB');
  });
});
