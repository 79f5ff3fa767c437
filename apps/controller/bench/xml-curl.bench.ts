// Directory and dialplan lookups the way mod_xml_curl sends them (a new TCP connection per request, FreeSWITCH's
// exact bytes), against the controller and against a bare Fastify endpoint (a constant answer) in the same run.
// Platform: 1,000 tenants × 50 extensions in a fresh database. Loopback only; about 75 s in total.
//   node --import tsx apps/controller/bench/xml-curl.bench.ts
// Two loads, both with at most 32 connections at once:
// - closed loop (saturation): 32 connections, each sending its next lookup as soon as the answer is in. Gives the
//   throughput ratio to the bare endpoint and the server's CPU per request. Latency there is queueing (p50 ≈ 32 ÷
//   throughput, Little's law), whatever the handler does.
// - open loop: lookups arriving at a fixed mean rate (Poisson), half of what the bare endpoint reached in the closed
//   loop: the latency FreeSWITCH sees while the server keeps up.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { createDb } from '@pbx/db';
import { sipA1Hash } from '@pbx/domain';
import {
  dialplanRequest,
  requestBytes,
  sendRaw,
  sipAuthRequest,
  type XmlCurlRequest,
} from '@pbx/freeswitch-double/xml-curl';
import Fastify from 'fastify';
import { buildController } from '../src/app.js';
import { createBenchDatabase } from './bench-database.js';
import { packRequests, type LoadJob, type LoadResult, type RequestSet } from './load-worker.js';

const TENANTS = 1000;
const EXTENSIONS = 50;
const CONCURRENCY = 32;
// Bare and controller alternate in rounds so background load on the machine hits both alike. Six rounds of 2 s:
// with three of 1 s, one run's ratio could differ from the next by as much as the gap being measured.
const ROUNDS = 6;
const ROUND_MS = 2000;
const WARMUP_MS = 300;
// A single collection pause of the process delays a few dozen lookups: p99 needs many samples to settle.
const OPEN_ROUNDS = 4;
const OPEN_ROUND_MS = 1500;
/** Open-loop arrival rate, as a share of the bare endpoint's closed-loop throughput for the same body. */
const OPEN_LOAD = 0.5;
const USER = 'bench';
const PASSWORD = 'bench-password-123';

/**
 * cpuMs: CPU time of the server's thread (this one), busyMs: the time its event loop was busy. Per request they are
 * the server's own cost, which background load disturbs much less than throughput; busy time also counts time the
 * thread waited for a core, CPU time does not.
 */
type Result = LoadResult & { name: string; busyMs: number; cpuMs: number };

const domainOf = (t: number) => `t${t}.bench.example`;
const extOf = (e: number) => String(1000 + e);
const pick = (n: number) => Math.floor(Math.random() * n);

async function seed(url: string): Promise<void> {
  const db = createDb({ databaseUrl: url });
  try {
    const tenants = Array.from({ length: TENANTS }, (_, t) => ({
      id: randomUUID(),
      name: `Tenant ${t}`,
      domain: domainOf(t),
    }));
    await db.prisma.tenant.createMany({ data: tenants });
    // 50,000 extensions: Prisma's createMany needs ~1 s per 1,000 rows on this machine, so the rows are generated
    // in one INSERT ... SELECT instead (same columns, a1-hash = md5(number:domain:password) like sipA1Hash()).
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "Extension" ("id", "tenantId", "number", "displayName", "sipA1Hash", "updatedAt")
       SELECT gen_random_uuid(), t."id", (1000 + e)::text, 'Ext ' || (1000 + e), md5((1000 + e)::text || ':' || t."domain" || ':pw-' || e), now()
       FROM "Tenant" t CROSS JOIN generate_series(0, ${EXTENSIONS - 1}) AS e`,
    );
    const count = await db.prisma.extension.count();
    if (count !== TENANTS * EXTENSIONS) throw new Error(`seeded ${count} extensions`);
    const sample = await db.prisma.extension.findFirstOrThrow({
      where: { number: '1007' },
      include: { tenant: true },
    });
    if (sample.sipA1Hash !== sipA1Hash('1007', sample.tenant.domain, 'pw-7'))
      throw new Error('a1-hash mismatch in seed');
  } finally {
    await db.close();
  }
}

function requestsFor(kind: 'directory' | 'dialplan', port: number, count: number): RequestSet {
  const requests = Array.from({ length: count }, (_, i) => {
    const t = pick(TENANTS);
    const from = extOf(pick(EXTENSIONS));
    const domain = domainOf(t);
    const req: XmlCurlRequest =
      kind === 'directory'
        ? sipAuthRequest({ method: 'REGISTER', user: from, domain, stamp: { date: new Date(), sequence: i } })
        : dialplanRequest({
            uuid: randomUUID(),
            destination: extOf(pick(EXTENSIONS)),
            context: domain,
            user: from,
            domain,
            callerIdName: `Ext ${from}`,
            callerIdNumber: from,
            directoryVariables: [['user_context', domain]],
            stamp: { date: new Date(), sequence: i },
          });
    return requestBytes(
      { host: '127.0.0.1', port, path: `/freeswitch/${kind}`, user: USER, password: PASSWORD },
      req,
    );
  });
  return packRequests(requests);
}

/** Rounds are combined by totals; percentiles are over every request of every round. */
function merge(rs: Result[]): Result {
  const all = new Float64Array(rs.reduce((n, r) => n + r.latencies.length, 0));
  let at = 0;
  for (const r of rs) {
    all.set(r.latencies, at);
    at += r.latencies.length;
  }
  const sum = (f: (r: Result) => number) => rs.reduce((a, r) => a + f(r), 0);
  return {
    name: rs[0]?.name ?? '',
    requests: sum((r) => r.requests),
    errors: sum((r) => r.errors),
    seconds: sum((r) => r.seconds),
    latencies: all.sort(),
    queued: sum((r) => r.queued),
    busyMs: sum((r) => r.busyMs),
    cpuMs: sum((r) => r.cpuMs),
  };
}

const pct = (r: Result, p: number) =>
  r.latencies[Math.min(r.latencies.length - 1, Math.floor((p / 100) * r.latencies.length))] ?? NaN;
const rate = (r: Result) => r.requests / r.seconds;

/** CPU time of this thread in ms (Linux schedstat); NaN elsewhere, and the tables fall back to busy time. */
function threadCpuMs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

let loadThread: Worker | undefined;

async function startLoadThread(): Promise<Worker> {
  // Worker threads do not inherit tsx's --import hooks on Node 20: register them inside, then load the TS module.
  const entry = JSON.stringify(new URL('./load-worker.ts', import.meta.url).href);
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${entry}); })`;
  const w = new Worker(boot, { eval: true });
  await new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
  });
  return w;
}

/** One load phase; closed loop unless `openRate` (lookups/s) is given. */
function run(
  name: string,
  port: number,
  requests: RequestSet,
  durationMs: number,
  expect: string,
  exact: boolean,
  openRate?: number,
): Promise<Result> {
  const job: LoadJob = {
    port,
    requests,
    durationMs,
    concurrency: CONCURRENCY,
    expect,
    exact,
    ...(openRate === undefined ? {} : { rate: openRate }),
  };
  const w = loadThread;
  if (!w) throw new Error('load thread not started');
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = threadCpuMs();
  return new Promise((resolve, reject) => {
    w.once('message', (r: LoadResult) => {
      w.off('error', reject);
      const busyMs = performance.eventLoopUtilization(elu0).active;
      resolve({ name, ...r, busyMs, cpuMs: threadCpuMs() - cpu0 });
    });
    w.once('error', reject);
    w.postMessage(job);
  });
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const database = await createBenchDatabase('bench');
  const url = database.url;
  const db = createDb({ databaseUrl: url, poolSize: 10 });
  const bare = Fastify({ logger: false });
  let controller: Awaited<ReturnType<typeof buildController>> | undefined;
  try {
    await seed(url);
    const seedSec = (performance.now() - t0) / 1000;

    controller = await buildController({
      settings: {
        xmlCurlUser: USER,
        xmlCurlPassword: PASSWORD,
        xmlCurlAllow: '127.0.0.1/32,::1/128',
        recordingsDir: '/var/lib/pbx/recordings',
        outboundSocketAddress: '127.0.0.1:8084',
        redisPrefix: 'bench',
      },
      prisma: db.prisma,
    });
    await controller.app.listen({ host: '127.0.0.1', port: 0 });
    const cport = (controller.app.server.address() as AddressInfo).port;

    const constant =
      '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<document type="freeswitch/xml">\n  <section name="result">\n    <result status="not found"/>\n  </section>\n</document>\n';
    bare.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
      done(null, body),
    );
    bare.post('/freeswitch/:section', async (_req, reply) => reply.type('text/xml').send(constant));
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const bport = (bare.server.address() as AddressInfo).port;

    const isUser = (b: string) => b.includes('<user id="');
    loadThread = await startLoadThread();
    // Fill the cache: every tenant once (database loads, one per tenant).
    const warm = Array.from({ length: TENANTS }, (_, t) =>
      requestBytes(
        { host: '127.0.0.1', port: cport, path: '/freeswitch/directory', user: USER, password: PASSWORD },
        sipAuthRequest({ method: 'REGISTER', user: '1000', domain: domainOf(t) }),
      ),
    );
    const w0 = performance.now();
    let wi = 0;
    let warmErrors = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (wi < warm.length) {
          const bytes = warm[wi++] ?? Buffer.alloc(0);
          const r = await sendRaw({ host: '127.0.0.1', port: cport, path: '' }, bytes, 10_000).catch(
            () => null,
          );
          if (!r || !isUser(r.body)) warmErrors++;
        }
      }),
    );
    const warmSec = (performance.now() - w0) / 1000;

    const closed: Result[] = [];
    const open: (Result & { offered: number })[] = [];
    for (const kind of ['directory', 'dialplan'] as const) {
      const bareReqs = requestsFor(kind, bport, 2000);
      const ctrlReqs = requestsFor(kind, cport, 2000);
      const ctrlExpect = kind === 'directory' ? '<user id="' : 'application="bridge"';
      const bareRun = (ms: number, openRate?: number) =>
        run(`bare Fastify (${kind} body)`, bport, bareReqs, ms, constant, true, openRate);
      const ctrlRun = (ms: number, openRate?: number) =>
        run(`controller ${kind}`, cport, ctrlReqs, ms, ctrlExpect, false, openRate);
      // Warms up the JIT of both servers and of the client for this body; not counted.
      await bareRun(WARMUP_MS);
      await ctrlRun(WARMUP_MS);
      const rounds: [Result[], Result[]] = [[], []];
      for (let r = 0; r < ROUNDS; r++) {
        rounds[0].push(await bareRun(ROUND_MS));
        rounds[1].push(await ctrlRun(ROUND_MS));
      }
      const bareClosed = merge(rounds[0]);
      closed.push(bareClosed, merge(rounds[1]));
      const offered = OPEN_LOAD * rate(bareClosed);
      const openRounds: [Result[], Result[]] = [[], []];
      for (let r = 0; r < OPEN_ROUNDS; r++) {
        openRounds[0].push(await bareRun(OPEN_ROUND_MS, offered));
        openRounds[1].push(await ctrlRun(OPEN_ROUND_MS, offered));
      }
      for (const rs of openRounds) open.push({ ...merge(rs), offered });
    }
    report({ seedSec, warmSec, warmErrors, closed, open });
  } finally {
    await loadThread?.terminate();
    await controller?.app.close();
    await bare.close();
    await db.close();
    await database.drop();
  }
}

function report(o: {
  seedSec: number;
  warmSec: number;
  warmErrors: number;
  closed: Result[];
  open: (Result & { offered: number })[];
}): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (v: number, d = 0, w = 9) => v.toFixed(d).padStart(w);
  const perReq = (r: Result, ms: number) => (ms * 1000) / Math.max(1, r.requests);
  const haveCpu = o.closed.every((r) => Number.isFinite(r.cpuMs));
  const unit = haveCpu ? 'cpu' : 'busy';
  const cost = (r: Result) => perReq(r, haveCpu ? r.cpuMs : r.busyMs);
  const pairs: [Result, Result, Result | undefined, Result | undefined][] = [];
  for (let i = 0; i + 1 < o.closed.length; i += 2) {
    const [bare, ctrl] = [o.closed[i], o.closed[i + 1]];
    if (bare && ctrl) pairs.push([bare, ctrl, o.open[i], o.open[i + 1]]);
  }

  console.log(
    `\nseed: ${TENANTS} tenants (createMany) x ${EXTENSIONS} extensions (INSERT ... SELECT) in ${o.seedSec.toFixed(1)} s, migrations included`,
  );
  console.log(
    `cache fill: ${TENANTS} tenant snapshots loaded via directory lookups in ${o.warmSec.toFixed(2)} s (${o.warmErrors} errors)`,
  );

  console.log(
    `\nclosed loop (saturation): ${CONCURRENCY} connections, each sends its next lookup as soon as the answer is in;` +
      ` a new TCP connection per lookup; ${ROUNDS} alternating rounds of ${ROUND_MS / 1000} s`,
  );
  console.log(
    `${pad('endpoint', 30)}${'req/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(8)}` +
      `${'vs bare'.padStart(9)}${'cpu µs/req'.padStart(12)}${'busy µs/req'.padStart(13)}${'cost ratio'.padStart(12)}`,
  );
  for (const [bare, ctrl] of pairs)
    for (const r of [bare, ctrl]) {
      const vs = r === ctrl ? num(rate(ctrl) / rate(bare), 2) : '        -';
      const ratio = r === ctrl ? num(cost(bare) / cost(ctrl), 2, 12) : '           -';
      console.log(
        `${pad(r.name, 30)}${num(rate(r), 0, 8)}${num(pct(r, 50), 2)}${num(pct(r, 99), 2)}${num(r.errors, 0, 8)}` +
          `${vs}${num(perReq(r, r.cpuMs), 0, 12)}${num(perReq(r, r.busyMs), 0, 13)}${ratio}`,
      );
    }
  console.log(
    `vs bare = throughput ratio. cpu = CPU time of the server thread, busy = its event loop's busy time (which also` +
      ` counts waiting for a core). cost ratio = bare ${unit} µs/req ÷ controller ${unit} µs/req: the throughput` +
      ` ratio a server with a core to itself would approach.`,
  );

  console.log(
    `\nopen loop: Poisson arrivals at ${Math.round(OPEN_LOAD * 100)}% of the bare endpoint's closed-loop req/s, at most` +
      ` ${CONCURRENCY} connections (an arrival finding all busy waits; latency counts from arrival); ` +
      `${OPEN_ROUNDS} alternating rounds of ${OPEN_ROUND_MS / 1000} s`,
  );
  console.log(
    `${pad('endpoint', 30)}${'offered'.padStart(8)}${'req/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}` +
      `${'max ms'.padStart(9)}${'waited'.padStart(8)}${'errors'.padStart(8)}`,
  );
  for (const r of o.open)
    console.log(
      `${pad(r.name, 30)}${num(r.offered, 0, 8)}${num(rate(r), 0, 8)}${num(pct(r, 50), 2)}${num(pct(r, 99), 2)}` +
        `${num(r.latencies.at(-1) ?? NaN, 2)}${num(r.queued, 0, 8)}${num(r.errors, 0, 8)}`,
    );

  console.log('\ntargets (issue): >= 0.80 of the bare throughput, p99 < 10 ms at 32 concurrent connections');
  for (const [bare, ctrl, bareOpen, ctrlOpen] of pairs) {
    console.log(
      `  ${pad(ctrl.name, 21)} ${(rate(ctrl) / rate(bare)).toFixed(2)} of bare (cost ratio ${(cost(bare) / cost(ctrl)).toFixed(2)});` +
        ` p99 ${pct(ctrl, 99).toFixed(1)} ms at saturation, ${ctrlOpen ? pct(ctrlOpen, 99).toFixed(1) : '-'} ms in the open loop`,
    );
    console.log(
      `  ${pad('bare endpoint', 21)} saturates at ${rate(bare).toFixed(0)} req/s: p50 ${pct(bare, 50).toFixed(1)} ms` +
        ` (32 ÷ ${rate(bare).toFixed(0)}/s = ${((CONCURRENCY / rate(bare)) * 1000).toFixed(1)} ms), p99 ${pct(bare, 99).toFixed(1)} ms;` +
        ` open loop p99 ${bareOpen ? pct(bareOpen, 99).toFixed(1) : '-'} ms`,
    );
  }
  console.log(
    '  At saturation latency is queueing: any server, even one answering a constant, has p50 ≈ 32 ÷ its throughput,' +
      ' so the closed-loop p99 follows the throughput. The open-loop p99 is what FreeSWITCH sees below saturation;' +
      ' there the slowest lookups are those that met a garbage-collection pause of the process or of the client.',
  );
}

await main();
