// IVR sessions on one controller process: N callers (FreeSWITCH doubles in worker threads) enter a menu over the
// outbound socket and are held in it (play_and_get_digits waiting for a key). Three phases, reported apart:
//   ramp    the arrivals (25 callers per node at a time until all N are in the menu): handshake, answer, prompt;
//   steady  all N held; each caller presses `*` (repeat the menu) once per round, the presses spread evenly over
//           the round (--round-ms), for --rounds rounds: one play_and_get_digits per press while N calls are up;
//   exit    all press 1 at once and are transferred (a burst, like the ramp).
// Reported per phase: the round trip of every command the controller sends on the outbound sockets (sendmsg →
// command/reply), p50/p99; the main thread's heap per session held; the load average. Baseline in the same run:
// the same three phases with one caller at a time.
// Target (issue #12): 1,000 concurrent IVR calls with p99 under 20 ms: the steady phase.
// Loopback only; creates and drops its own database; about a minute.
//   node --import tsx apps/controller/bench/ivr-sessions.bench.ts [calls=1000] [nodes=4] [baseline calls=20]
//     [--rounds=5] [--round-ms=2000] [--profile=<dir>]   (--profile: CPU profiles of the controller's thread,
//     ramp and steady phases of the N-caller run)
import { mkdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { createDb } from '@pbx/db';
import { createJobQueues, createJobsConnection } from '@pbx/jobs';
import { LocalStorage } from '@pbx/storage';
import { TEST_REDIS_URL, testRedisPrefix } from '@pbx/testing';
import { createBenchDatabase } from '@pbx/testing/bench-database';
import { buildController } from '../src/app.js';
import {
  ask,
  load1,
  mainThreadCpuMs,
  pct,
  sampleRoundTrips,
  startProfile,
  until,
} from './ivr-bench-support.js';

const flags = new Map(
  process.argv
    .slice(2)
    .filter((a) => a.startsWith('--'))
    .map((a) => [a.slice(2, a.includes('=') ? a.indexOf('=') : undefined), a.slice(a.indexOf('=') + 1)]),
);
const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const CALLS = Number(positional[0] ?? 1000);
const NODES = Number(positional[1] ?? 4);
const BASELINE_CALLS = Number(positional[2] ?? 20);
// The menu repeats at most 10 times for free (ivr/collect.ts MAX_FREE_REPEATS): more rounds would end calls.
const ROUNDS = Math.min(10, Number(flags.get('rounds') ?? 5));
const ROUND_MS = Number(flags.get('round-ms') ?? 2000);
const PROFILE_DIR = flags.get('profile');
const LIMIT_MS = 600_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const rtt = sampleRoundTrips();

type Phases = { ramp: number[]; steady: number[]; exit: number[] };

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
    outbound: {
      mediaDir,
      listen: { host: '127.0.0.1', port: 0 },
      drainMs: 1000,
      queues,
      storage: new LocalStorage(`${mediaDir}-storage`),
    },
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

    /** n callers over the workers (nodes): ramped in steps of `step` per worker, held, re-prompted, then all press 1. */
    const run = async (ws: Worker[], n: number, step: number, profile = false) => {
      const deadline = Date.now() + LIMIT_MS;
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      const per = Math.ceil(n / ws.length);
      const inMenu = async () => {
        const counts = await Promise.all(ws.map((w) => ask<{ inMenu: number }>(w, { inMenu: true })));
        return counts.reduce((a, c) => a + c.inMenu, 0);
      };
      rtt.take();
      let stopProfile = await startProfile(profile ? PROFILE_DIR : undefined, 'ramp');
      const cpuRamp = mainThreadCpuMs();
      for (let placed = 0; placed < per; placed += step) {
        const k = Math.min(step, per - placed);
        await Promise.all(ws.map((w) => ask(w, { place: k })));
        const want = Math.min(n, (placed + k) * ws.length);
        await until(`${want} callers in the menu`, async () => (await inMenu()) >= want, deadline);
        if (n > 1)
          process.stderr.write(
            `${want} in the menu after ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
          );
      }
      const rampCpuMs = mainThreadCpuMs() - cpuRamp;
      await stopProfile();
      const ramp = rtt.take();
      const setupMs = performance.now() - started;
      const held = outbound.sessions();
      gc();
      const heapHeld = process.memoryUsage().heapUsed;
      const loadHeld = load1();
      // Steady state: every caller re-prompted once per round; each `*` is one play_and_get_digits.
      stopProfile = await startProfile(profile ? PROFILE_DIR : undefined, 'steady');
      const steadyStarted = performance.now();
      const cpuSteady = mainThreadCpuMs();
      const steady: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        await Promise.all(ws.map((w) => ask(w, { spread: { digit: '*', overMs: ROUND_MS } })));
        await until(
          `round ${round + 1}: every caller re-prompted`,
          () => {
            steady.push(...rtt.take());
            return steady.length >= held * (round + 1);
          },
          deadline,
        );
      }
      const steadySec = (performance.now() - steadyStarted) / 1000;
      const steadyCpuMs = mainThreadCpuMs() - cpuSteady;
      await stopProfile();
      await until('every caller back in the menu', async () => (await inMenu()) >= held, deadline);
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
      const phases: Phases = { ramp, steady, exit: rtt.take() };
      return {
        held,
        setupMs,
        perSession: (heapHeld - heapBefore) / held,
        phases,
        loadHeld,
        steadyRate: steady.length / steadySec,
        /** Controller thread CPU per caller set up, and per re-prompt in the steady state, ms. */
        cpu: { perArrival: rampCpuMs / held, perReprompt: steadyCpuMs / Math.max(1, steady.length) },
      };
    };

    // Baseline: one caller at a time, the same phases.
    const w1 = await startWorker();
    const base: Phases = { ramp: [], steady: [], exit: [] };
    for (let i = 0; i < BASELINE_CALLS; i++) {
      const r = await run([w1], 1, 1);
      for (const k of ['ramp', 'steady', 'exit'] as const) base[k].push(...r.phases[k]);
    }

    // The callers are spread over NODES doubles (FreeSWITCH nodes), each in its own thread, so that the callers'
    // side is not the controller's bottleneck. (Each double hands an outbound socket only its own channel's events,
    // as FreeSWITCH does for `myevents`: freeswitch-double/src/outbound-routing.ts.)
    const ws = await Promise.all(Array.from({ length: NODES }, () => startWorker()));
    if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
    const loadStart = load1();
    const r = await run(ws, CALLS, 25, true);
    const ms = (x: number) => `${x.toFixed(2)} ms`;
    const line = (xs: number[], b: number[]) =>
      `p50 ${ms(pct(xs, 50))}, p99 ${ms(pct(xs, 99))} (${xs.length} commands; baseline p50 ${ms(pct(b, 50))}, ` +
      `p99 ${ms(pct(b, 99))}; p99 ${(pct(xs, 99) / pct(b, 99)).toFixed(1)}x baseline)`;
    const steadyP99 = pct(r.phases.steady, 99);
    console.log(
      `IVR sessions held at once: ${r.held} of ${CALLS} from ${NODES} nodes (all in the menu after ${(r.setupMs / 1000).toFixed(1)} s); ` +
        `load average (1 min) ${loadStart} at start, ${r.loadHeld} when all were held, ${load1()} at the end`,
    );
    console.log(`round trip, ramp (arrivals, 25 per node at a time): ${line(r.phases.ramp, base.ramp)}`);
    console.log(
      `round trip, steady (${r.held} held, ${ROUNDS} rounds of re-prompts, ${r.steadyRate.toFixed(0)} commands/s): ` +
        `${line(r.phases.steady, base.steady)}; target p99 < 20 ms: ${steadyP99 < 20 ? 'met' : 'NOT met'}`,
    );
    console.log(`round trip, exit (all press 1 at once, transferred): ${line(r.phases.exit, base.exit)}`);
    console.log(`controller heap per session held: ${(r.perSession / 1024).toFixed(1)} KiB`);
    console.log(
      `controller thread CPU (including its polling of the callers' threads): ${r.cpu.perArrival.toFixed(2)} ms per ` +
        `arrival (ramp), ${r.cpu.perReprompt.toFixed(3)} ms per re-prompt (steady)`,
    );
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
