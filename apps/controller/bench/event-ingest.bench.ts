// Event ingestion. A worker thread records what the FreeSWITCH double sends an inbound subscriber for a mix of
// calls (set variables, answer or not, hang up; internal and outbound), then replays those exact frames — each call
// with its own UUID — as fast as the socket takes them (the double's own call engine makes ~1,500 events/s, too
// slow to load a consumer). Baselines in the same run: the same frames consumed by bare adapter listeners that do
// nothing — a raw one (framing and Event-Name only: the adapter's floor, and the way the controller listens) and a
// typed one. Reported: events/s, CDR rows/s (row count checked at the end: zero loss) and memory.
// Also reported: the main thread's CPU time per event (from /proc, so neither the replay thread nor other processes
// on a shared machine count), the steadier figure when comparing changes.
// Loopback only; creates and drops its own database and Redis keys; about 20 s.
//   node --import tsx apps/controller/bench/event-ingest.bench.ts [calls] [--profile=<dir>]
// Default 10,000 calls (96,000 events): several seconds per phase, so the figure is sustained rather than the first
// second's (which runs before the JIT has warmed up: 2,000 calls gave ~20,000 events/s where 10,000 give ~28,000).
// --profile writes a CPU profile of each phase (main thread) to <dir>.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Worker } from 'node:worker_threads';
import { createDb } from '@pbx/db';
import { EslClient } from '@pbx/esl';
import { createJobQueues, createJobsConnection } from '@pbx/jobs';
import { TEST_REDIS_URL } from '@pbx/testing';
import { Redis } from 'ioredis';
import { buildController } from '../src/app.js';
import { createBenchDatabase } from '@pbx/testing/bench-database';
import { SUBSCRIBED_EVENTS, SUBSCRIBED_SUBCLASSES } from '../src/events/wire.js';

const args = process.argv.slice(2);
const CALLS = Number(args.find((a) => !a.startsWith('--')) ?? 10_000);
const PROFILE_DIR = args.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);
const LIMIT_MS = 30_000;

type Phase = {
  name: string;
  events: number;
  seconds: number;
  cpuSeconds: number;
  rows: number;
  rss: number;
  heap: number;
};
type Replay = { worker: Worker; port: number; eventsPerMix: number; mix: number };

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
// What the controller's adapter subscribes to (its own list plus the adapter's BACKGROUND_JOB, EXECUTE_COMPLETE, HEARTBEAT).
const SUBSCRIPTION = [
  ...SUBSCRIBED_EVENTS,
  'CHANNEL_EXECUTE_COMPLETE',
  'CUSTOM',
  ...SUBSCRIBED_SUBCLASSES,
].join(' ');

function startReplay(tenantId: string): Promise<Replay> {
  // Worker threads do not inherit tsx's --import hooks on Node 20: register them inside, then load the TS module.
  const entry = JSON.stringify(new URL('./replay-worker.ts', import.meta.url).href);
  const worker = new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${entry}); })`, {
    eval: true,
    workerData: { tenantId, domain: 'bench.test', events: SUBSCRIPTION },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { port: number; eventsPerMix: number; mix: number }) =>
      resolve({ worker, ...m }),
    );
    worker.once('error', reject);
  });
}

function prepare(worker: Worker, calls: number): Promise<{ prepared: number }> {
  return new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage({ prepare: calls });
  });
}

function blast(worker: Worker, calls: number): Promise<{ sent: number; seconds: number }> {
  return new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage({ blast: calls });
  });
}

async function until(what: string, check: () => Promise<boolean> | boolean, deadline: number): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function memorySampler() {
  let rss = 0;
  let heap = 0;
  const t = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 50);
  return () => {
    clearInterval(t);
    return { rss, heap };
  };
}

/** CPU time (user + system) of the main thread alone, in seconds; whole-process CPU where /proc is missing. */
function mainThreadCpu(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is the 3rd, utime the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ, 100 on Linux
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
}

/** With --profile: starts a CPU profile of the main thread; the function returned writes it to a file. */
async function startProfile(phase: string): Promise<() => Promise<void>> {
  if (!PROFILE_DIR) return async () => {};
  const dir = PROFILE_DIR;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    const file = `${dir}/${phase}-phase-${Date.now()}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`${phase} phase profile: ${file}`);
  };
}

async function main(): Promise<void> {
  const prefix = `bench-ev-${randomBytes(3).toString('hex')}`;
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const database = await createBenchDatabase('evbench');
  const db = createDb({ databaseUrl: database.url, poolSize: 10 });
  const redis = new Redis(TEST_REDIS_URL);
  const jobsConnection = createJobsConnection(TEST_REDIS_URL);
  const queues = createJobQueues({ connection: jobsConnection, prefix });
  let replay: Replay | undefined;
  const phases: Phase[] = [];
  try {
    const tenant = await db.prisma.tenant.create({ data: { name: 'Bench', domain: 'bench.test' } });
    for (const number of ['1001', '1002', '1003'])
      await db.prisma.extension.create({
        data: { tenantId: tenant.id, number, displayName: number, sipA1Hash: '0'.repeat(32) },
      });
    replay = await startReplay(tenant.id);
    const r = replay;
    const expectedEvents = Math.round((CALLS / r.mix) * r.eventsPerMix);

    // Baselines: bare adapter listeners subscribed to the same events, doing nothing with them. The raw one
    // (every event as name + undecoded header block) is the adapter's floor, framing only; the typed one also
    // validates every event into typed fields, which the controller (a raw listener) skips.
    for (const kind of ['raw', 'typed'] as const) {
      const bare = new EslClient({
        nodes: [{ name: 'fs', host: '127.0.0.1', port: r.port, password: 'ClueCon' }],
        events: SUBSCRIBED_EVENTS,
        subclasses: SUBSCRIBED_SUBCLASSES,
      });
      let events = 0;
      let hangups = 0;
      const count = (name: string) => {
        events++;
        if (name === 'CHANNEL_HANGUP_COMPLETE') hangups++;
      };
      if (kind === 'raw') bare.onRawEvent((_n, e) => count(e.name));
      else bare.onEvent((_n, e) => count(e.eventName));
      bare.start();
      await bare.node('fs').waitReady();
      await prepare(r.worker, CALLS);
      await new Promise((res) => setTimeout(res, 200));
      const stopProfile = await startProfile(`bare-${kind}`);
      const mem = memorySampler();
      const cpu0 = mainThreadCpu();
      const t0 = performance.now();
      await blast(r.worker, CALLS);
      await until('baseline hang-ups', () => hangups >= CALLS, Date.now() + LIMIT_MS);
      const seconds = (performance.now() - t0) / 1000;
      const cpuSeconds = mainThreadCpu() - cpu0;
      await stopProfile();
      phases.push({
        name: kind === 'raw' ? 'bare raw listener (baseline)' : 'bare typed listener',
        events,
        seconds,
        cpuSeconds,
        rows: 0,
        ...mem(),
      });
      bare.close();
    }

    // The controller: every event to events-ingest (CDR rows in PostgreSQL, live calls in Redis).
    {
      const controller = await buildController({
        settings: {
          xmlCurlUser: 'bench',
          xmlCurlPassword: 'bench-password-123',
          xmlCurlAllow: '127.0.0.1/32',
          recordingsDir: '/var/lib/pbx/recordings',
          outboundSocketAddress: '127.0.0.1:8084',
          redisPrefix: prefix,
        },
        prisma: db.prisma,
        esl: { nodes: [{ name: 'fs', host: '127.0.0.1', port: r.port }], password: 'ClueCon', redis, queues },
        logger: { level: 'error' },
      });
      const ctl = controller.events;
      if (!controller.esl || !ctl) throw new Error('no ESL side');
      await controller.esl.node('fs').waitReady();
      await new Promise((res) => setTimeout(res, 200));
      await ctl.idle();
      await prepare(r.worker, CALLS);
      const received = () =>
        Object.values(controller.esl?.stats().fs?.eventsReceived ?? {}).reduce((a, b) => a + b, 0);
      const events0 = received();
      const stopProfile = await startProfile('controller');
      const mem = memorySampler();
      const cpu0 = mainThreadCpu();
      const t0 = performance.now();
      await blast(r.worker, CALLS);
      const deadline = Date.now() + LIMIT_MS;
      await until(
        'controller hang-ups',
        () => (controller.esl?.stats().fs?.eventsReceived['CHANNEL_HANGUP_COMPLETE'] ?? 0) >= CALLS,
        deadline,
      );
      await ctl.idle();
      const seconds = (performance.now() - t0) / 1000;
      const cpuSeconds = mainThreadCpu() - cpu0;
      await stopProfile();
      const rows = await db.prisma.cdr.count();
      phases.push({
        name: 'controller (events → CDRs, live calls)',
        events: received() - events0,
        seconds,
        cpuSeconds,
        rows,
        ...mem(),
      });
      const metrics = await controller.metrics.registry.render();
      const statements = /pbx_cdr_batch_rows_count (\d+)/.exec(metrics)?.[1];
      if (statements) console.log(`  ${rows} CDR rows in ${statements} statements`);
      const failed = [...metrics.matchAll(/pbx_esl_event_errors_total\{[^}]*\} (\d+)/g)].reduce(
        (n, m) => n + Number(m[1]),
        0,
      );
      await controller.app.close();
      if (rows !== CALLS) throw new Error(`LOSS: ${CALLS} calls but ${rows} CDR rows`);
      if (failed) throw new Error(`${failed} events failed`);
    }

    const [base, , ctl] = phases;
    if (!base || !ctl) return;
    console.log(
      `${CALLS} calls (${expectedEvents} events, ${r.mix} call shapes recorded from the double), replayed over loopback`,
    );
    for (const p of phases)
      console.log(
        `  ${p.name.padEnd(40)} ${String(Math.round(p.events / p.seconds)).padStart(7)} events/s ${p.rows ? `${String(Math.round(p.rows / p.seconds)).padStart(6)} CDR rows/s` : '                 '}  ${p.events} events in ${p.seconds.toFixed(2)} s  main thread ${((p.cpuSeconds / p.events) * 1e6).toFixed(0)} µs CPU/event  peak rss ${mb(p.rss)}, heap ${mb(p.heap)}`,
      );
    console.log(
      `  controller / raw baseline: ${(ctl.events / ctl.seconds / (base.events / base.seconds)).toFixed(2)}x the events/s; CDR rows ${ctl.rows}/${CALLS} (zero loss)`,
    );
    console.log(
      `  controller beyond the adapter's framing: ${((ctl.cpuSeconds / ctl.events - base.cpuSeconds / base.events) * 1e6).toFixed(0)} µs main-thread CPU per event`,
    );
    console.log('  (rss includes the replay thread; heap is the main thread: adapter/controller only)');
  } finally {
    replay?.worker.postMessage('close');
    await queues.close();
    const keys = await redis.keys(`${prefix}*`).catch(() => [] as string[]);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    redis.disconnect();
    jobsConnection.disconnect();
    await db.close();
    await database.drop();
  }
}

await main();
process.exit(0);
