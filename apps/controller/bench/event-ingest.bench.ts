// Event ingestion: the FreeSWITCH double (in a worker thread) runs calls as fast as it can — set, answer, hang up,
// a mix of answered/unanswered and internal/outbound — and the controller turns their events into CDR rows, live
// calls and Redis state. Baseline in the same run: the same calls consumed by a bare adapter listener that does
// nothing. Reports events/s, CDR rows/s (row count checked: zero loss) and the controller's memory.
// Loopback only; creates and drops its own database and Redis prefix; about 30-60 s.
//   node --import tsx apps/controller/bench/event-ingest.bench.ts [calls]
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createDb } from '@pbx/db';
import { EslClient } from '@pbx/esl';
import { createJobQueues, createJobsConnection } from '@pbx/jobs';
import { databaseUrl, quoteIdent, TEST_REDIS_URL, withAdmin } from '@pbx/testing';
import { Redis } from 'ioredis';
import { buildController } from '../src/app.js';
import { SUBSCRIBED_EVENTS, SUBSCRIBED_SUBCLASSES } from '../src/events/wire.js';
import type { DoubleDone, DoubleJob } from './double-worker.js';

const CALLS = Number(process.argv[2] ?? 3000);
const CONCURRENCY = 200;
const LIMIT_MS = 25_000;

type Phase = { name: string; events: number; seconds: number; rows: number; rss: number; heap: number };

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

function startDouble(): Promise<{ worker: Worker; port: number }> {
  // Worker threads do not inherit tsx's --import hooks on Node 20: register them inside, then load the TS module.
  const entry = JSON.stringify(new URL('./double-worker.ts', import.meta.url).href);
  const worker = new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${entry}); })`, { eval: true });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { port: number }) => resolve({ worker, port: m.port }));
    worker.once('error', reject);
  });
}

function runCalls(worker: Worker, job: DoubleJob): Promise<DoubleDone> {
  return new Promise((resolve) => {
    worker.once('message', (m: DoubleDone) => resolve(m));
    worker.postMessage(job);
  });
}

async function until(what: string, check: () => Promise<boolean> | boolean, deadline: number): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function main(): Promise<void> {
  const name = `pbx_t_${Date.now().toString(36)}_evbench${randomBytes(2).toString('hex')}`;
  const prefix = `bench-ev-${randomBytes(3).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const url = databaseUrl(name);
  const db = createDb({ databaseUrl: url, poolSize: 10 });
  const redis = new Redis(TEST_REDIS_URL);
  const jobsConnection = createJobsConnection(TEST_REDIS_URL);
  const queues = createJobQueues({ connection: jobsConnection, prefix });
  const { worker, port } = await startDouble();
  const phases: Phase[] = [];
  try {
    const migrateModule = '@pbx/db/migrate';
    const { applyMigrations } = (await import(migrateModule)) as { applyMigrations: (o: { databaseUrl: string; prismaDir: string }) => Promise<unknown> };
    await applyMigrations({ databaseUrl: url, prismaDir: fileURLToPath(new URL('../../../prisma', import.meta.url)) });
    const tenant = await db.prisma.tenant.create({ data: { name: 'Bench', domain: 'bench.test' } });
    for (const number of ['1001', '1002', '1003'])
      await db.prisma.extension.create({ data: { tenantId: tenant.id, number, displayName: number, sipA1Hash: '0'.repeat(32) } });
    const job: DoubleJob = { calls: CALLS, concurrency: CONCURRENCY, tenantId: tenant.id, domain: 'bench.test' };
    // Warm-up of the double and the JIT (not measured).
    await runCalls(worker, { ...job, calls: 200 });

    // Baseline: a bare adapter listener subscribed to the same events, doing nothing with them.
    {
      const bare = new EslClient({ nodes: [{ name: 'fs', host: '127.0.0.1', port, password: 'ClueCon' }], events: SUBSCRIBED_EVENTS, subclasses: SUBSCRIBED_SUBCLASSES });
      let events = 0;
      let hangups = 0;
      bare.onEvent((_n, e) => {
        events++;
        if (e.eventName === 'CHANNEL_HANGUP_COMPLETE') hangups++;
      });
      bare.start();
      await bare.node('fs').waitReady();
      const t0 = performance.now();
      await runCalls(worker, job);
      await until('baseline hang-ups', () => hangups >= CALLS, Date.now() + LIMIT_MS);
      const seconds = (performance.now() - t0) / 1000;
      const m = process.memoryUsage();
      phases.push({ name: 'bare adapter listener (baseline)', events, seconds, rows: 0, rss: m.rss, heap: m.heapUsed });
      bare.close();
    }

    // The controller: every event to events-ingest (CDR rows in PostgreSQL, live calls and state in Redis).
    {
      const controller = await buildController({
        settings: { xmlCurlUser: 'bench', xmlCurlPassword: 'bench-password-123', xmlCurlAllow: '127.0.0.1/32', recordingsDir: '/var/lib/pbx/recordings', outboundSocketAddress: '127.0.0.1:8084', redisPrefix: prefix },
        prisma: db.prisma,
        esl: { nodes: [{ name: 'fs', host: '127.0.0.1', port }], password: 'ClueCon', redis, queues },
        logger: { level: 'error' },
      });
      const ctl = controller.events;
      if (!controller.esl || !ctl) throw new Error('no ESL side');
      await controller.esl.node('fs').waitReady();
      await ctl.idle();
      const before = await db.prisma.cdr.count();
      const received = () => Object.values(controller.esl?.stats().fs?.eventsReceived ?? {}).reduce((a, b) => a + b, 0);
      const events0 = received();
      const t0 = performance.now();
      const lastError = '';
      let peakRss = 0;
      let peakHeap = 0;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      }, 100);
      await runCalls(worker, job);
      const deadline = Date.now() + LIMIT_MS;
      await until('controller hang-ups', () => controller.metrics.events.get({ node: 'fs', type: 'CHANNEL_HANGUP_COMPLETE' }) >= CALLS, deadline);
      await ctl.idle();
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      const rows = (await db.prisma.cdr.count()) - before;
      phases.push({ name: 'controller (events → CDRs, live calls)', events: received() - events0, seconds, rows, rss: peakRss, heap: peakHeap });
      const errors = await controller.metrics.registry.render();
      const failed = /pbx_esl_event_errors_total\{[^}]*\} (\d+)/.exec(errors)?.[1];
      await controller.app.close();
      if (failed) console.log(errors.split('\n').filter((l) => l.includes('error')).join('\n'), lastError);
      if (rows !== CALLS) throw new Error(`LOSS: ${CALLS} calls but ${rows} CDR rows`);
      if (failed) throw new Error(`${failed} events failed`);
    }

    const [base, ctl] = phases;
    if (!base || !ctl) return;
    console.log(`${CALLS} calls, ${CONCURRENCY} at a time; the double in a worker thread, loopback`);
    for (const p of phases)
      console.log(
        `  ${p.name.padEnd(42)} ${String(Math.round(p.events / p.seconds)).padStart(7)} events/s  ${p.rows ? `${String(Math.round(p.rows / p.seconds)).padStart(5)} CDR rows/s` : '               '}  ${p.events} events in ${p.seconds.toFixed(2)} s  rss ${mb(p.rss)} heap ${mb(p.heap)}`,
      );
    console.log(`  controller / baseline: ${((ctl.events / ctl.seconds) / (base.events / base.seconds)).toFixed(2)}× the events/s; CDR rows ${ctl.rows}/${CALLS} (zero loss)`);
  } finally {
    worker.postMessage('close');
    await queues.close();
    redis.disconnect();
    jobsConnection.disconnect();
    const keys = await new Redis(TEST_REDIS_URL).keys(`${prefix}*`).catch(() => []);
    if (keys.length) {
      const r = new Redis(TEST_REDIS_URL);
      await r.del(...keys);
      r.disconnect();
    }
    await db.close();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
  }
}

await main();
process.exit(0);
