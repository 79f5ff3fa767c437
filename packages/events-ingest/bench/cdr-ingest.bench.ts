// CDR ingestion throughput, as ratios against a plain pg INSERT of the same
// rows measured in the same run. Standalone:
//   node --import tsx packages/events-ingest/bench/cdr-ingest.bench.ts [calls]
// It creates (and drops) its own migrated database.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDb } from '@pbx/db';
import { applyMigrations } from '@pbx/db/migrate';
import { databaseUrl, quoteIdent, withAdmin } from '@pbx/testing';
import {
  buildCdrRow,
  CdrWriter,
  createTenantResolver,
  ingestCdrFromEvent,
  ingestJsonCdr,
  legFromJsonCdr,
  writeCdr,
  type CdrRow,
} from '../src/index.js';
import { seedAcme } from '../test/support.js';
import { syntheticCalls, type SyntheticCall } from '../test/synthetic.js';

const N = Number(process.argv[2] ?? 2000);
const CONCURRENCY = 8;

async function pool<T>(items: readonly T[], run: (item: T) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await run(item);
      }
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const name = `pbx_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
await withAdmin((c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
const url = databaseUrl(name);
try {
  await applyMigrations({
    databaseUrl: url,
    prismaDir: fileURLToPath(new URL('../../../prisma', import.meta.url)),
  });
  const db = createDb({ databaseUrl: url, poolSize: CONCURRENCY });
  const raw = new pg.Pool({ connectionString: url, max: CONCURRENCY });
  try {
    await seedAcme(db.prisma);
    const tenants = createTenantResolver(db.prisma);
    const baselineCalls = syntheticCalls(N, 100);
    const baselineRows: CdrRow[] = [];
    for (const c of baselineCalls) baselineRows.push(await buildCdrRow(legFromJsonCdr(c.jsonBody), tenants));
    const writeRows: CdrRow[] = [];
    for (const c of syntheticCalls(N, 400))
      writeRows.push(await buildCdrRow(legFromJsonCdr(c.jsonBody), tenants));
    const jsonCalls = syntheticCalls(N, 200);
    const eventCalls = syntheticCalls(N, 300);
    const jsonBodies = new Map(jsonCalls.map((c) => [c.uuid, JSON.stringify(c.jsonBody)]));

    // Warm-up: JIT, prepared paths, tenant cache.
    await pool(syntheticCalls(200, 900), (c: SyntheticCall) =>
      ingestJsonCdr({ prisma: db.prisma, body: c.jsonBody, tenants }),
    );

    const baseline = await pool(baselineRows, (r) =>
      raw.query(
        `INSERT INTO "Cdr" ("id","tenantId","callUuid","bridgeUuid","direction","fromNumber","fromName","toNumber","did",
          "extensionNumber","startedAt","answeredAt","endedAt","durationSec","billsec","hangupCause","blockedReason")
         VALUES (gen_random_uuid(),$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`,
        [
          r.tenantId,
          r.callUuid,
          r.bridgeUuid,
          r.direction,
          r.fromNumber,
          r.fromName,
          r.toNumber,
          r.did,
          r.extensionNumber,
          r.startedAt,
          r.answeredAt,
          r.endedAt,
          r.durationSec,
          r.billsec,
          r.hangupCause,
          r.blockedReason,
        ],
      ),
    );
    const upsertOnly = await pool(writeRows, (r) => writeCdr(db.prisma, r));
    // The controller's way: every row handed over without waiting, the writer batching them.
    const batchRows: CdrRow[] = [];
    for (const c of syntheticCalls(N, 500))
      batchRows.push(await buildCdrRow(legFromJsonCdr(c.jsonBody), tenants));
    const writer = new CdrWriter({ prisma: db.prisma });
    const batchedStart = process.hrtime.bigint();
    await Promise.all(batchRows.map((r) => writer.write(r)));
    const batched = Number(process.hrtime.bigint() - batchedStart) / 1e9;
    const json = await pool(jsonCalls, (c) =>
      ingestJsonCdr({ prisma: db.prisma, body: jsonBodies.get(c.uuid), tenants }),
    );
    const event = await pool(eventCalls, (c) =>
      ingestCdrFromEvent({ prisma: db.prisma, event: c.hangup, tenants }),
    );
    const replay = await pool(jsonCalls, (c) =>
      ingestJsonCdr({ prisma: db.prisma, body: jsonBodies.get(c.uuid), tenants }),
    );

    const count = await db.prisma.cdr.count();
    if (count !== 200 + 5 * N) throw new Error(`expected ${200 + 5 * N} rows, found ${count}`);
    const rate = (s: number): string => `${Math.round(N / s).toLocaleString('en')} rows/s`;
    const ratio = (s: number): string => `${(baseline / s).toFixed(2)}× baseline`;
    console.log(`CDR ingest, ${N} synthetic calls, ${CONCURRENCY} in flight`);
    console.log(`  baseline plain pg INSERT         ${rate(baseline)}`);
    console.log(`  writeCdr only (prebuilt rows)    ${rate(upsertOnly)}  ${ratio(upsertOnly)}`);
    console.log(`  CdrWriter (prebuilt, batched)    ${rate(batched)}  ${ratio(batched)}`);
    console.log(`  ingestJsonCdr (body → row)       ${rate(json)}  ${ratio(json)}`);
    console.log(`  ingestCdrFromEvent               ${rate(event)}  ${ratio(event)}`);
    console.log(`  json_cdr re-posts (duplicates)   ${rate(replay)}  ${ratio(replay)}`);
  } finally {
    await raw.end();
    await db.close();
  }
} finally {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}
