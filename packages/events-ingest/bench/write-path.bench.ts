// The event write path without the ESL adapter: the captured A leg's channel events (CREATE, ANSWER, HANGUP,
// HANGUP_COMPLETE, DESTROY) for N calls, each with its own UUID, handed over from memory a chunk per turn of the
// event loop, into live calls (Redis) and CDRs (PostgreSQL). It measures what follows the adapter (the controller's
// event-ingest bench measures both together). Baseline in the same run: the same events with each one
// awaited before the next of its channel (a Redis call per write, a statement per CDR row), as the controller wired
// them before batching. Reported: events/s and the main thread's CPU time per event (from /proc, so neither Redis,
// PostgreSQL nor other processes count), and a zero-loss check (N rows, no live leg left).
//   node --import tsx packages/events-ingest/bench/write-path.bench.ts [calls]
// It creates (and drops) its own migrated database and Redis keys.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDb } from '@pbx/db';
import { applyMigrations } from '@pbx/db/migrate';
import { databaseUrl, quoteIdent, TEST_REDIS_URL, withAdmin } from '@pbx/testing';
import { Redis } from 'ioredis';
import {
  CdrWriter,
  createTenantResolver,
  eventName,
  header,
  ingestCdrFromEvent,
  LiveCallStore,
  type EslHeaders,
} from '../src/index.js';
import { capturedPlainEvents, seedAcme } from '../test/support.js';

const N = Number(process.argv[2] ?? 4000);
const PER_TURN = 40; // events handed over per turn of the event loop (a socket read's worth)
const A_LEG = 'd58f6fa4-d4f6-4d30-ab94-4a78be9cac38';
const KINDS = /^CHANNEL_(?:CREATE|ANSWER|HANGUP|HANGUP_COMPLETE|DESTROY)$/;

/** CPU time (user + system) of the main thread alone, in seconds. */
function mainThreadCpu(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const templates = capturedPlainEvents().filter(
  (e) => e['Unique-ID'] === A_LEG && KINDS.test(e['Event-Name'] ?? ''),
);

/** The events of POOL calls, built once, key by key like the adapter's header maps, and renamed for every round. */
const POOL = 200;
const pool = Array.from({ length: POOL }, () =>
  templates.map((t) => {
    const e: Record<string, string | undefined> = {};
    for (const k in t) e[k] = t[k];
    return e;
  }),
);

/**
 * Hands N calls' events over, PER_TURN per turn of the event loop, in rounds of POOL calls: before a round the
 * pool's events get new UUIDs, after it `drain` waits until everything handed over is written (so no event is
 * renamed while still in use). Reusing the events keeps making them, and a heap of them, out of the measurement.
 */
async function feed(
  n: number,
  salt: number,
  tenantId: string,
  handle: (e: EslHeaders) => void,
  drain: () => Promise<unknown>,
): Promise<number> {
  let count = 0;
  for (let first = 0; first < n; first += POOL) {
    const round: EslHeaders[] = [];
    for (let c = 0; c < POOL && first + c < n; c++) {
      const uuid = `${salt.toString(16).padStart(8, '0')}-0000-4000-8000-${(first + c).toString(16).padStart(12, '0')}`;
      for (const e of pool[c] ?? []) {
        e['Unique-ID'] = uuid;
        e.variable_uuid = uuid;
        e.variable_pbx_tenant_id = tenantId;
        round.push(e);
      }
    }
    for (let i = 0; i < round.length; i += PER_TURN) {
      for (let k = i; k < i + PER_TURN && k < round.length; k++) handle(round[k] as EslHeaders);
      await new Promise((r) => setImmediate(r));
    }
    await drain();
    count += round.length;
  }
  return count;
}

const name = `pbx_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
await withAdmin((c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
const url = databaseUrl(name);
const redis = new Redis(TEST_REDIS_URL);
const prefix = `bench-wp-${randomBytes(3).toString('hex')}`;
try {
  await applyMigrations({
    databaseUrl: url,
    prismaDir: fileURLToPath(new URL('../../../prisma', import.meta.url)),
  });
  const db = createDb({ databaseUrl: url, poolSize: 10 });
  try {
    const { tenantId } = await seedAcme(db.prisma);
    const tenants = createTenantResolver(db.prisma);
    await tenants.byId(tenantId);
    const errors: unknown[] = [];
    type Phase = { events: number; seconds: number; cpu: number; statements?: number };

    const awaited = async (n: number, salt: number): Promise<Phase> => {
      const live = new LiveCallStore({ redis, prefix: `${prefix}:a`, tenants });
      const tails = new Map<string, Promise<void>>();
      const cpu0 = mainThreadCpu();
      const t0 = performance.now();
      const count = await feed(
        n,
        salt,
        tenantId,
        (event) => {
          const uuid = header(event, 'Unique-ID') ?? '';
          const next = (tails.get(uuid) ?? Promise.resolve()).then(async () => {
            try {
              await live.applyChannelEvent(event);
              if (eventName(event) === 'CHANNEL_HANGUP_COMPLETE')
                await ingestCdrFromEvent({ prisma: db.prisma, event, tenants });
            } catch (error) {
              errors.push(error);
            }
          });
          tails.set(uuid, next);
        },
        async () => {
          await Promise.all(tails.values());
          tails.clear();
        },
      );
      return { events: count, seconds: (performance.now() - t0) / 1000, cpu: mainThreadCpu() - cpu0 };
    };

    const batched = async (n: number, salt: number): Promise<Phase> => {
      const live = new LiveCallStore({
        redis,
        prefix: `${prefix}:b`,
        tenants,
        onError: (e) => errors.push(e),
      });
      let statements = 0;
      const writer = new CdrWriter({ prisma: db.prisma, onBatch: () => statements++ });
      let rows: Promise<unknown>[] = [];
      const cpu0 = mainThreadCpu();
      const t0 = performance.now();
      const count = await feed(
        n,
        salt,
        tenantId,
        (event) => {
          live.submitChannelEvent(event);
          if (eventName(event) === 'CHANNEL_HANGUP_COMPLETE')
            rows.push(
              ingestCdrFromEvent({ prisma: db.prisma, event, tenants, writer }).catch((e) => errors.push(e)),
            );
        },
        async () => {
          await Promise.all(rows);
          rows = [];
          await live.idle();
        },
      );
      return {
        events: count,
        seconds: (performance.now() - t0) / 1000,
        cpu: mainThreadCpu() - cpu0,
        statements,
      };
    };

    // Warm-up (JIT, connections, scripts), then the measured runs.
    await awaited(POOL, 1);
    await batched(POOL, 2);
    await db.prisma.cdr.deleteMany();
    const base = await awaited(N, 3);
    const fast = await batched(N, 4);

    const rows = await db.prisma.cdr.count();
    const left = (await redis.keys(`${prefix}:*:live:ch:*`)).length;
    if (errors.length > 0) throw new Error(`${errors.length} writes failed, e.g. ${String(errors[0])}`);
    if (rows !== 2 * N || left !== 0)
      throw new Error(`LOSS: ${rows} rows for ${2 * N} calls, ${left} legs left`);
    const line = (label: string, p: Phase): string =>
      `  ${label.padEnd(44)} ${String(Math.round(p.events / p.seconds)).padStart(7)} events/s  ${((p.cpu / p.events) * 1e6).toFixed(1).padStart(6)} µs CPU/event`;
    console.log(
      `Event write path, ${N} calls × ${templates.length} channel events, ${PER_TURN} per turn of the event loop, in rounds of ${POOL} calls`,
    );
    console.log(line('baseline: each event awaited', base));
    console.log(
      `${line('submitted, writes batched (the controller)', fast)}  ${fast.statements ?? 0} CDR statements`,
    );
    console.log(
      `  batched / baseline: ${(fast.events / fast.seconds / (base.events / base.seconds)).toFixed(1)}× the events/s, ${(base.cpu / base.events / (fast.cpu / fast.events)).toFixed(1)}× less CPU per event; zero loss (${rows} rows)`,
    );
  } finally {
    await db.close();
  }
} finally {
  const keys = await redis.keys(`${prefix}*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  redis.disconnect();
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}
process.exit(0);
