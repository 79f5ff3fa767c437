// IVR sessions on one controller process: N callers (FreeSWITCH double in a worker thread) enter a menu over the
// outbound socket at once, are held in it (play_and_get_digits waiting for a key), then all press 1 and are
// transferred. Reported: sessions held, the round trip of every command the controller sends on the outbound
// sockets (sendmsg → command/reply; answer, play_and_get_digits, set, transfer), p50/p99, and the main thread's
// heap per session held. Baseline in the same run: the same round trip with one caller at a time.
// Target (issue #12): 1,000 concurrent IVR calls with p99 under 20 ms.
// Loopback only; creates and drops its own database; about 30 s.
//   node --import tsx apps/controller/bench/ivr-sessions.bench.ts [calls=1000] [nodes=4] [baseline calls=20]
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { createDb } from '@pbx/db';
import { createJobQueues, createJobsConnection } from '@pbx/jobs';
import { OutboundCall } from '@pbx/esl';
import { TEST_REDIS_URL, testRedisPrefix } from '@pbx/testing';
import { buildController } from '../src/app.js';
import { createBenchDatabase } from '@pbx/testing/bench-database';

const CALLS = Number(process.argv[2] ?? 1000);
const BASELINE_CALLS = Number(process.argv[4] ?? 20);
const NODES = Number(process.argv[3] ?? 4);
const LIMIT_MS = 600_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// Every outbound command's round trip, measured where the adapter sends it (bench only).
const samples: number[] = [];
const send = Object.getOwnPropertyDescriptor(OutboundCall.prototype, 'command')?.value as (
  this: OutboundCall,
  command: string,
  headers: Record<string, string> | null,
) => Promise<string>;
OutboundCall.prototype.command = function timed(
  this: OutboundCall,
  command: string,
  headers: Record<string, string> | null,
) {
  const t0 = performance.now();
  const p = send.call(this, command, headers);
  p.then(
    () => samples.push(performance.now() - t0),
    () => undefined,
  );
  return p;
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function until(what: string, check: () => Promise<boolean> | boolean, deadline: number): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function ask<T>(worker: Worker, msg: unknown): Promise<T> {
  return new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage(msg);
  });
}

async function main(): Promise<void> {
  const database = await createBenchDatabase('ivrbench');
  const db = createDb({ databaseUrl: database.url, poolSize: 10 });
  const mediaDir = await mkdtemp(join(tmpdir(), 'pbx-ivr-bench-'));
  const jobsConnection = createJobsConnection(TEST_REDIS_URL);
  const queues = createJobQueues({ connection: jobsConnection, prefix: testRedisPrefix() });
  const controller = await buildController({
    settings: {
      xmlCurlUser: 'freeswitch',
      xmlCurlPassword: 'bench-xml-curl-password',
      xmlCurlAllow: '127.0.0.1/32',
      recordingsDir: '/tmp',
      outboundSocketAddress: '127.0.0.1:8084',
      redisPrefix: testRedisPrefix(),
    },
    prisma: db.prisma,
    outbound: { mediaDir, listen: { host: '127.0.0.1', port: 0 }, drainMs: 1000, queues },
  });
  const workers: Worker[] = [];
  try {
    const tenant = await db.prisma.tenant.create({ data: { name: 'bench', domain: 'ivr-bench.test' } });
    const ext = await db.prisma.extension.create({
      data: { tenantId: tenant.id, number: '1001', displayName: 'Bench', sipA1Hash: '0'.repeat(32) },
    });
    const menu = await db.prisma.ivrMenu.create({
      data: {
        tenantId: tenant.id,
        name: 'Main',
        // Long enough that every caller is still in the menu when the last one arrives (the API allows 60 s).
        timeoutSec: 3600,
        maxFailures: 1,
        timeoutDestType: 'HANGUP',
        invalidDestType: 'HANGUP',
      },
    });
    await db.prisma.ivrOption.create({
      data: { tenantId: tenant.id, menuId: menu.id, digits: '1', destType: 'EXTENSION', destValue: ext.id },
    });
    const outbound = controller.outbound;
    if (!outbound) throw new Error('no outbound server');
    const entry = JSON.stringify(new URL('./ivr-callers-worker.ts', import.meta.url).href);
    const startWorker = async () => {
      const w = new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${entry}); })`, {
        eval: true,
        workerData: {
          port: outbound.address.port,
          tenantId: tenant.id,
          menuId: menu.id,
          domain: tenant.domain,
          playbackMs: 5,
        },
      });
      workers.push(w);
      await new Promise((r) => w.once('message', r));
      return w;
    };

    /** n callers over the workers (nodes), ramped in steps of `step` per worker, held, then all press 1. */
    const run = async (ws: Worker[], n: number, step: number) => {
      const deadline = Date.now() + LIMIT_MS;
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      const per = Math.ceil(n / ws.length);
      const inMenu = async () => {
        const counts = await Promise.all(ws.map((w) => ask<{ inMenu: number }>(w, { inMenu: true })));
        return counts.reduce((a, c) => a + c.inMenu, 0);
      };
      for (let placed = 0; placed < per; placed += step) {
        const k = Math.min(step, per - placed);
        await Promise.all(ws.map((w) => ask(w, { place: k })));
        const want = Math.min(n, (placed + k) * ws.length);
        await until(`${want} callers in the menu`, async () => (await inMenu()) >= want, deadline);
        process.stderr.write(
          `${want} in the menu after ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
        );
      }
      const setupMs = performance.now() - started;
      const held = outbound.sessions();
      gc();
      const heapHeld = process.memoryUsage().heapUsed;
      await Promise.all(ws.map((w) => ask(w, { press: '1' })));
      await until(
        'every caller transferred and gone',
        async () =>
          outbound.sessions() === 0 &&
          (await Promise.all(ws.map((w) => ask<{ live: number }>(w, { settled: true })))).every(
            (x) => x.live === 0,
          ),
        deadline,
      );
      return { held, setupMs, perSession: (heapHeld - heapBefore) / held };
    };

    // Baseline: one caller at a time.
    const w1 = await startWorker();
    for (let i = 0; i < BASELINE_CALLS; i++) await run([w1], 1, 1);
    const base = samples.splice(0);

    // The callers are spread over NODES doubles (FreeSWITCH nodes), each in its own thread, so that the callers'
    // side is not the controller's bottleneck. (Each double hands an outbound socket only its own channel's events,
    // as FreeSWITCH does for `myevents`: freeswitch-double/src/outbound-routing.ts.)
    const ws = await Promise.all(Array.from({ length: NODES }, () => startWorker()));
    const r = await run(ws, CALLS, 25);
    const load = samples.splice(0);
    const ms = (x: number) => `${x.toFixed(2)} ms`;
    console.log(
      `IVR sessions held at once: ${r.held} of ${CALLS} from ${NODES} nodes (all in the menu after ${(r.setupMs / 1000).toFixed(1)} s)`,
    );
    console.log(
      `outbound command round trip, one caller at a time (baseline, ${base.length} commands): p50 ${ms(pct(base, 50))}, p99 ${ms(pct(base, 99))}`,
    );
    console.log(
      `outbound command round trip, ${CALLS} callers at once (${load.length} commands): p50 ${ms(pct(load, 50))}, p99 ${ms(pct(load, 99))} ` +
        `(${(pct(load, 99) / pct(base, 99)).toFixed(1)}x baseline p99; target p99 < 20 ms: ${pct(load, 99) < 20 ? 'met' : 'NOT met'})`,
    );
    console.log(`controller heap per session held: ${(r.perSession / 1024).toFixed(1)} KiB`);
  } finally {
    for (const w of workers) w.postMessage('close');
    await controller.app.close();
    await queues.close();
    jobsConnection.disconnect();
    await db.close();
    await database.drop();
  }
}

await main();
