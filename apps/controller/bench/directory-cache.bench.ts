// FreeSWITCH keeps the directory (`cacheable`): what reaches the controller when phones register through the
// FreeSWITCH double's user cache (modelled on src/switch_xml.c). Phones run in their own thread.
//   node --import tsx apps/controller/bench/directory-cache.bench.ts
// (a) steady state: STEADY_PHONES phones register, then re-register twice; lookups per REGISTER after the first
//     round (target 0), REGISTER/s against the same phones with the cache off (a lookup per REGISTER) in this run.
// (b) cold-cache restart storm: every phone of the platform (TENANTS × 50) registers at once through empty caches,
//     32 in flight from two threads of phones, the controller freshly started: lookups/s, p99, time until all are in,
//     and how busy the controller's event loop was (below 100%: the phones set the pace).
// About 60-90 s with the defaults on a 2-core machine; `… directory-cache.bench.ts 100 500` runs in ~15 s.
// Arguments (run the file directly): [tenants, default 1000 = 50,000 phones] [steady-state phones, default 2000].
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'node:worker_threads';
import { createDb } from '@pbx/db';
import { buildController } from '../src/app.js';
import { benchSettings, PASSWORD, startLoadThread, USER } from './bench-controller.js';
import { createBenchDatabase } from '@pbx/testing/bench-database';
import type { PhoneJob, PhoneResult } from './directory-cache-worker.js';

const argInt = (at: number, what: string, fallback: number) => {
  const v = Number(process.argv[at] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${what} must be a positive whole number`);
  return v;
};
const TENANTS = argInt(2, 'tenants', 1000);
const EXTENSIONS = 50;
const STEADY_PHONES = Math.min(argInt(3, 'steady phones', 2000), TENANTS * EXTENSIONS);
/** Lookups in flight at once: FreeSWITCH's sofia worker threads, each blocked on its curl request. */
const CONCURRENCY = 32;
/** Threads of phones in the storm (each a FreeSWITCH double with its own cache, CONCURRENCY ÷ this in flight). */
const STORM_THREADS = 2;

const domainOf = (t: number) => `t${t}.bench.example`;
const phoneOf = (i: number): [string, string, string] => {
  const t = Math.floor(i / EXTENSIONS);
  const e = i % EXTENSIONS;
  return [String(1000 + e), domainOf(t), `pw-${e}`];
};

async function seed(url: string): Promise<void> {
  const db = createDb({ databaseUrl: url });
  try {
    await db.prisma.tenant.createMany({
      data: Array.from({ length: TENANTS }, (_, t) => ({
        id: randomUUID(),
        name: `T${t}`,
        domain: domainOf(t),
      })),
    });
    // a1-hash = md5(number:domain:password), as sipA1Hash() makes it; one statement for every extension.
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "Extension" ("id", "tenantId", "number", "displayName", "sipA1Hash", "updatedAt")
       SELECT gen_random_uuid(), t."id", (1000 + e)::text, 'Ext ' || (1000 + e), md5((1000 + e)::text || ':' || t."domain" || ':pw-' || e), now()
       FROM "Tenant" t CROSS JOIN generate_series(0, ${EXTENSIONS - 1}) AS e`,
    );
  } finally {
    await db.close();
  }
}

const startPhones = () => startLoadThread('./directory-cache-worker.ts');

function runPhones(w: Worker, job: PhoneJob): Promise<PhoneResult> {
  return new Promise((resolve, reject) => {
    w.once('message', (r: PhoneResult) => {
      w.off('error', reject);
      resolve(r);
    });
    w.once('error', reject);
    w.postMessage(job);
  });
}

async function startController(url: string) {
  const db = createDb({ databaseUrl: url, poolSize: 10 });
  const controller = await buildController({
    settings: benchSettings('bench', { directoryCacheMs: 1_800_000 }),
    prisma: db.prisma,
  });
  await controller.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (controller.app.server.address() as AddressInfo).port;
  return {
    port,
    close: async () => {
      await controller.app.close();
      await db.close();
    },
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function main(): Promise<void> {
  const bdb = await createBenchDatabase();
  const url = bdb.url;
  const threads = await Promise.all(Array.from({ length: STORM_THREADS }, startPhones));
  const phones = threads[0] as Worker;
  try {
    await seed(url);
    const all = Array.from({ length: TENANTS * EXTENSIONS }, (_, i) => phoneOf(i));
    // Spread over the tenants, as a platform's phones are.
    const steady = Array.from({ length: STEADY_PHONES }, (_, i) =>
      phoneOf((i * 7919) % (TENANTS * EXTENSIONS)),
    );
    const job = { user: USER, password: PASSWORD, concurrency: CONCURRENCY };

    // (b) first, on a freshly started controller: nothing cached anywhere.
    let c = await startController(url);
    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    const parts = await Promise.all(
      threads.map((t, i) =>
        runPhones(t, {
          ...job,
          concurrency: CONCURRENCY / STORM_THREADS,
          port: c.port,
          phones: all.filter((_, n) => n % STORM_THREADS === i),
          rounds: 1,
        }),
      ),
    );
    const storm: PhoneResult = {
      rounds: [
        {
          registers: all.length,
          lookups: parts.reduce((n, p) => n + (p.rounds[0]?.lookups ?? 0), 0),
          seconds: (performance.now() - t0) / 1000,
          failed: parts.reduce((n, p) => n + (p.rounds[0]?.failed ?? 0), 0),
        },
      ],
      lookupMs: parts.flatMap((p) => p.lookupMs),
    };
    const stormBusy = performance.eventLoopUtilization(elu0).utilization;
    await c.close();

    // (a) a fresh controller; baseline (cache off) and cached, same phones, same run.
    c = await startController(url);
    const uncached = await runPhones(phones, {
      ...job,
      port: c.port,
      phones: steady,
      rounds: 3,
      noCache: true,
    });
    const cached = await runPhones(phones, { ...job, port: c.port, phones: steady, rounds: 3 });
    await c.close();

    const s = storm.rounds[0];
    if (!s) throw new Error('no storm result');
    console.log(`\n(b) cold-cache restart storm: ${all.length} phones (${TENANTS} tenants × ${EXTENSIONS}),`);
    console.log(
      `    ${CONCURRENCY} REGISTERs in flight from ${STORM_THREADS} threads of phones, freshly started controller,` +
        ` empty FreeSWITCH user caches`,
    );
    console.log(
      `    all registered in ${s.seconds.toFixed(1)} s; ${s.lookups} lookups (${(s.lookups / s.seconds).toFixed(0)}/s);` +
        ` lookup p50 ${pct(storm.lookupMs, 50).toFixed(2)} ms, p99 ${pct(storm.lookupMs, 99).toFixed(2)} ms,` +
        ` max ${pct(storm.lookupMs, 100).toFixed(1)} ms; ${s.failed} failed`,
    );
    console.log(
      `    controller event loop busy ${(stormBusy * 100).toFixed(0)}% of the storm (below 100%: the phones' threads,` +
        ` which parse every answer and check every digest as FreeSWITCH would, set the pace)`,
    );

    console.log(
      `\n(a) steady state: ${steady.length} phones, 3 REGISTER rounds each, ${CONCURRENCY} in flight`,
    );
    console.log(
      `    ${'FreeSWITCH user cache'.padEnd(26)}${'round'.padStart(6)}${'REGISTER/s'.padStart(12)}${'lookups/REGISTER'.padStart(18)}${'failed'.padStart(8)}`,
    );
    for (const [label, r] of [
      ['off (asks every time)', uncached],
      ['on (cacheable=1800000)', cached],
    ] as const)
      r.rounds.forEach((x, i) =>
        console.log(
          `    ${label.padEnd(26)}${String(i + 1).padStart(6)}${(x.registers / x.seconds).toFixed(0).padStart(12)}` +
            `${(x.lookups / x.registers).toFixed(3).padStart(18)}${String(x.failed).padStart(8)}`,
        ),
      );
    const later = (r: PhoneResult) => r.rounds.slice(1);
    const rate = (rs: PhoneResult['rounds']) =>
      rs.reduce((n, x) => n + x.registers, 0) / rs.reduce((n, x) => n + x.seconds, 0);
    const lookupsLater = later(cached).reduce((n, x) => n + x.lookups, 0);
    console.log(
      `    re-REGISTERs (rounds 2-3): ${lookupsLater} controller lookups for ${later(cached).reduce((n, x) => n + x.registers, 0)}` +
        ` REGISTERs (target 0); REGISTER rate with the cache ${(rate(later(cached)) / rate(later(uncached))).toFixed(2)}×` +
        ` the rate without it (the double's own cost per REGISTER included; FreeSWITCH's is larger).`,
    );
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
    await bdb.drop();
  }
}

await main();
