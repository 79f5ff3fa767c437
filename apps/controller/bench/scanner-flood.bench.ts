// Directory lookups under a scanner flood (issue #14), in one run:
//   baseline  legitimate sip_auth lookups (known users of cached tenants), alone;
//   banned    REGISTER lookups for invented users and domains from banned addresses, alone;
//   unbanned  the same from 2 addresses not (yet) banned: the per-address limit on loads of unknown domains;
//   mixed     legitimate lookups while the banned flood runs at full speed beside them (legitimate p99).
// Each phase: closed loop, a new TCP connection per lookup (as mod_xml_curl), load generators in worker threads.
// Every statement the controller sends to PostgreSQL is counted (a Prisma query extension), so "queries per flood
// request" is measured, not assumed. Platform: 100 tenants × 20 extensions. About 20 s.
//   npm run bench -- scanner-flood
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'node:worker_threads';
import { createDb, type Db } from '@pbx/db';
import { requestBytes, sipAuthRequest } from '@pbx/freeswitch-double/xml-curl';
import { TEST_REDIS_URL } from '@pbx/testing';
import { Redis } from 'ioredis';
import { buildController } from '../src/app.js';
import { benchSettings, PASSWORD, startLoadThread, USER } from './bench-controller.js';
import { createBenchDatabase } from '@pbx/testing/bench-database';
import { packRequests, type LoadJob, type LoadResult, type RequestSet } from './load-worker.js';

const TENANTS = 100;
const EXTENSIONS = 20;
const PHASE_MS = 2_000;
const SCANNERS = 200;
/** Addresses not banned: each may make the controller load 30 unknown domains a minute, then none. */
const FRESH = 2;
const domainOf = (t: number) => `t${t}.flood.example`;
const pick = (n: number) => Math.floor(Math.random() * n);

type Result = LoadResult & { name: string };

function run(w: Worker, name: string, job: LoadJob): Promise<Result> {
  return new Promise<Result>((resolve, reject) => {
    w.once('message', (r: LoadResult) => {
      w.off('error', reject);
      resolve({ name, ...r });
    });
    w.once('error', reject);
    w.postMessage(job);
  });
}

const pct = (r: Result, p: number) =>
  r.latencies[Math.min(r.latencies.length - 1, Math.floor((p / 100) * r.latencies.length))] ?? NaN;
const rate = (r: Result) => r.requests / r.seconds;

async function main(): Promise<void> {
  const database = await createBenchDatabase('flood');
  const db = createDb({ databaseUrl: database.url, poolSize: 10 });
  let queries = 0;
  const counting = db.prisma.$extends({
    query: {
      async $allOperations({ args, query }) {
        queries++;
        const result: unknown = await query(args);
        return result;
      },
    },
  }) as unknown as Db;
  const redis = new Redis(TEST_REDIS_URL);
  const prefix = `bench-flood-${randomUUID().slice(0, 8)}`;
  let controller: Awaited<ReturnType<typeof buildController>> | undefined;
  const workers: Worker[] = [];
  try {
    await db.prisma.tenant.createMany({
      data: Array.from({ length: TENANTS }, (_, t) => ({ name: `Tenant ${t}`, domain: domainOf(t) })),
    });
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "Extension" ("id", "tenantId", "number", "displayName", "sipA1Hash", "updatedAt")
       SELECT gen_random_uuid(), t."id", (1000 + e)::text, 'Ext ' || (1000 + e), md5(e::text), now()
       FROM "Tenant" t CROSS JOIN generate_series(0, ${EXTENSIONS - 1}) AS e`,
    );
    controller = await buildController({
      settings: benchSettings(prefix),
      prisma: counting,
      guards: { redis },
    });
    const guard = controller.guard;
    if (!guard) throw new Error('guards not built');
    await controller.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (controller.app.server.address() as AddressInfo).port;
    const target = { host: '127.0.0.1', port, path: '/freeswitch/directory', user: USER, password: PASSWORD };
    const legit = (n: number): RequestSet =>
      packRequests(
        Array.from({ length: n }, () => {
          const domain = domainOf(pick(TENANTS));
          return requestBytes(
            target,
            sipAuthRequest({
              method: 'REGISTER',
              user: String(1000 + pick(EXTENSIONS)),
              domain,
              ip: '192.0.2.10',
            }),
          );
        }),
      );
    const scanner = (i: number) => `203.0.${113 + (i >> 8)}.${i & 255}`;
    const bogus = (n: number, from: (i: number) => string): RequestSet =>
      packRequests(
        Array.from({ length: n }, (_, i) =>
          requestBytes(
            target,
            sipAuthRequest({
              method: 'REGISTER',
              user: String(100000 + pick(900000)),
              domain: `guess${randomUUID().slice(0, 8)}.example`,
              ip: from(i),
            }),
          ),
        ),
      );

    // Every tenant cached (one load each), as on a running platform.
    for (let t = 0; t < TENANTS; t++) await controller.cache.getByDomain(domainOf(t));
    // The scanners are banned the way the controller bans them: five counted failures each.
    const now = Date.now();
    for (let s = 0; s < SCANNERS; s++)
      for (let i = 0; i < 5; i++)
        await guard.store.recordFailure({
          eventId: `bench:${s}:${i}`,
          address: scanner(s),
          countAddress: true,
          at: now,
        });
    await guard.mirror.refresh();

    const [w1, w2] = [await startLoadThread(), await startLoadThread()];
    workers.push(w1, w2);
    const job = (requests: RequestSet, concurrency: number, expect: string): LoadJob => ({
      port,
      requests,
      durationMs: PHASE_MS,
      concurrency,
      expect,
      exact: false,
    });
    const legitReqs = legit(2_000);
    const bannedReqs = bogus(4_000, (i) => scanner(i % SCANNERS));
    const freshReqs = bogus(4_000, (i) => `198.18.0.${i % FRESH}`);
    // Warm-up of both request kinds (JIT), not counted.
    await run(w1, 'warm-up', { ...job(legitReqs, 8, 'a1-hash'), durationMs: 500 });
    await run(w1, 'warm-up', { ...job(bannedReqs, 8, 'not found'), durationMs: 500 });

    const q0 = queries;
    const baseline = await run(w1, 'legitimate, alone', job(legitReqs, 8, 'a1-hash'));
    const qBase = queries - q0;
    const q1 = queries;
    const banned = await run(w1, 'flood, banned addresses', job(bannedReqs, 32, 'not found'));
    const qBanned = queries - q1;
    const q2 = queries;
    const unbanned = await run(w1, `flood, ${FRESH} unbanned addresses`, job(freshReqs, 32, 'not found'));
    const qUnbanned = queries - q2;
    const q3 = queries;
    const [mixedLegit, mixedFlood] = await Promise.all([
      run(w2, 'legitimate, under the flood', job(legitReqs, 4, 'a1-hash')),
      run(w1, 'flood beside it', job(bannedReqs, 32, 'not found')),
    ]);
    const qMixed = queries - q3;

    const num = (v: number, d = 0, w = 9) => v.toFixed(d).padStart(w);
    console.log(
      `\n${TENANTS} tenants x ${EXTENSIONS} extensions cached; ${SCANNERS} scanner addresses banned; phases of ${PHASE_MS / 1000} s`,
    );
    console.log(
      `${'phase'.padEnd(32)}${'req/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(8)}${'DB queries'.padStart(12)}${'q/req'.padStart(9)}`,
    );
    const line = (r: Result, q: number | null) =>
      console.log(
        `${r.name.padEnd(32)}${num(rate(r), 0, 8)}${num(pct(r, 50), 2)}${num(pct(r, 99), 2)}${num(r.errors, 0, 8)}` +
          `${q === null ? ''.padStart(12) : num(q, 0, 12)}${q === null ? '' : num(q / Math.max(1, r.requests), 4)}`,
      );
    line(baseline, qBase);
    line(banned, qBanned);
    line(unbanned, qUnbanned);
    line(mixedLegit, null);
    line(mixedFlood, qMixed);
    console.log(
      `\nbanned flood / legitimate baseline: ${(rate(banned) / rate(baseline)).toFixed(2)}x throughput; ` +
        `DB queries per banned flood request: ${(qBanned / Math.max(1, banned.requests)).toFixed(4)} (target 0)`,
    );
    console.log(
      `legitimate p99 under a ${num(rate(mixedFlood), 0, 0)} req/s flood: ${pct(mixedLegit, 99).toFixed(2)} ms ` +
        `(alone: ${pct(baseline, 99).toFixed(2)} ms; issue #14 target < 20 ms at 5,000 bogus/s: ` +
        `${pct(mixedLegit, 99) < 20 && rate(mixedFlood) >= 5_000 ? 'met' : rate(mixedFlood) < 5_000 ? 'flood below 5,000/s on this machine' : 'NOT met'})`,
    );
    console.log(
      `unbanned addresses: each may cause ${30} loads of unknown domains per minute, then none ` +
        `(${qUnbanned} queries for ${unbanned.requests} requests from ${FRESH} addresses; at most ${FRESH * 30})`,
    );
  } finally {
    for (const w of workers) await w.terminate();
    await controller?.app.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.close();
    await database.drop();
  }
}

await main();
