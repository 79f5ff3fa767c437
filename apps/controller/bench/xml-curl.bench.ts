// Dialplan lookups the way mod_xml_curl sends them (a new TCP connection per request, FreeSWITCH's exact bytes),
// against the controller's Fastify route and against a bare Fastify endpoint in the same run, in pairs of
// back-to-back rounds so background load on the machine hits both alike; the ratios printed are the medians over the
// pairs. The bare endpoint does what any dialplan endpoint must and nothing more: it reads the same form fields
// through the same parser (Form: the lookup keys, the caller's identity, the channel's UUID) and answers a document
// of the same size and shape (the controller's own answer to one of the bench's calls, rendered once); what is left
// is what the controller adds: access checks, tenant cache, routing, rendering. The extensions have no voicemail box
// and forward nowhere, so a failed ring hangs up right after the bridge (RingStep.onFail) and no answer carries a
// transfer token (a ring with forwarding, or a ring group, would add one). Platform: 1,000 tenants × 50 extensions in
// a fresh database, every tenant cached first. Loopback only; about 35 s of load after
// seeding and filling the cache.
//   npm run bench -- xml-curl
//   node --import tsx apps/controller/bench/xml-curl.bench.ts --profile=/tmp/xc   (CPU profiles of both servers)
// Closed loop: 32 connections, each sending its next lookup as soon as the answer is in (saturation). Printed: the
// throughput ratio to the bare endpoint (target >= 0.8), the server thread's CPU per lookup and its ratio (steadier
// on a shared machine: the load generator shares the cores), p50/p99.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'node:worker_threads';
import { fastifyTimeouts } from '@pbx/config';
import { createDb } from '@pbx/db';
import { sipA1Hash } from '@pbx/domain';
import { dialplanRequest, requestBytes, sendRaw } from '@pbx/freeswitch-double/xml-curl';
import Fastify from 'fastify';
import { buildController } from '../src/app.js';
import { Form } from '../src/form.js';
import { benchSettings, PASSWORD, startLoadThread, USER } from './bench-controller.js';
import { createBenchDatabase } from '@pbx/testing/bench-database';
import { rate, report, type Result } from './xml-curl-report.js';
import { packRequests, type LoadJob, type LoadResult, type RequestSet } from './load-worker.js';

const TENANTS = 1000;
const EXTENSIONS = 50;
const CONCURRENCY = 32;
/** Pairs of rounds (one of each endpoint, the order swapped from pair to pair); the ratios are their medians. */
const PAIRS = 8;
const ROUND_MS = 2000;
const WARMUP_MS = 500;
const TARGET = 0.8;

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

function dialplanBytes(port: number, i: number, t = pick(TENANTS)): Buffer {
  const from = extOf(pick(EXTENSIONS));
  const domain = domainOf(t);
  return requestBytes(
    { host: '127.0.0.1', port, path: '/freeswitch/dialplan', user: USER, password: PASSWORD },
    dialplanRequest({
      uuid: randomUUID(),
      destination: extOf(pick(EXTENSIONS)),
      context: domain,
      user: from,
      domain,
      callerIdName: `Ext ${from}`,
      callerIdNumber: from,
      directoryVariables: [['user_context', domain]],
      stamp: { date: new Date(), sequence: i },
    }),
  );
}

const requestsFor = (port: number, count: number): RequestSet =>
  packRequests(Array.from({ length: count }, (_, i) => dialplanBytes(port, i)));

/** CPU time of this thread in ms (Linux schedstat); NaN elsewhere, and the tables fall back to busy time. */
function threadCpuMs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

let loadThread: Worker | undefined;

/**
 * `--profile=<prefix>`: instead of the rounds, one long round of each endpoint under the CPU profiler and the heap
 * sampler (the server's thread only), written to <prefix>.{bare,controller}.{cpuprofile,heapprofile}, to compare.
 */
const PROFILE = process.argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);

async function profile(file: string, fn: () => Promise<Result>): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const r = await fn();
  const { profile: data } = await session.post('Profiler.stop');
  const { profile: heap } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  writeFileSync(`${file}.cpuprofile`, JSON.stringify(data));
  writeFileSync(`${file}.heapprofile`, JSON.stringify(heap));
  console.log(`profiled ${r.requests} lookups of ${r.name} (${rate(r).toFixed(0)}/s) into ${file}.*`);
}

/** One closed-loop load phase. */
function run(
  name: string,
  port: number,
  requests: RequestSet,
  durationMs: number,
  expect: string,
  exact: boolean,
) {
  const job: LoadJob = { port, requests, durationMs, concurrency: CONCURRENCY, expect, exact };
  const w = loadThread;
  if (!w) throw new Error('load thread not started');
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = threadCpuMs();
  return new Promise<Result>((resolve, reject) => {
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
  // The controller's server settings (slow-client time-outs, which every server of the project has): the ratio is
  // then what the lookup routes cost over Fastify's own work.
  const bare = Fastify({
    logger: false,
    ...fastifyTimeouts({ requestTimeoutMs: 10_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000 }),
  });
  let controller: Awaited<ReturnType<typeof buildController>> | undefined;
  try {
    await seed(url);
    const seedSec = (performance.now() - t0) / 1000;

    controller = await buildController({
      settings: benchSettings('bench'),
      prisma: db.prisma,
    });
    await controller.app.listen({ host: '127.0.0.1', port: 0 });
    const cport = (controller.app.server.address() as AddressInfo).port;

    // The bare endpoint's answer: set once the controller has answered a call (below).
    let constant = '';
    bare.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
      done(null, new Form(body as string)),
    );
    // The fields the controller's dialplan lookup reads for a call between extensions, read the same way.
    bare.post('/freeswitch/:section', (req, reply) => {
      const f = req.body as Form;
      const read =
        f.get('section') === 'dialplan' &&
        f.last('Hunt-Context') !== undefined &&
        f.last('Hunt-Destination-Number') !== undefined &&
        f.get('variable_user_name') !== undefined &&
        f.get('variable_domain_name') !== undefined &&
        f.get('Unique-ID') !== undefined;
      reply.type('text/xml').send(read ? constant : '');
    });
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const bport = (bare.server.address() as AddressInfo).port;

    const BRIDGE = 'application="bridge"';
    loadThread = await startLoadThread();
    // Fill the cache: one call in every tenant (a database load each).
    const w0 = performance.now();
    let wi = 0;
    let warmErrors = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (wi < TENANTS) {
          const t = wi++;
          const r = await sendRaw(
            { host: '127.0.0.1', port: cport, path: '' },
            dialplanBytes(cport, t, t),
            10_000,
          ).catch(() => null);
          if (!r?.body.includes(BRIDGE)) warmErrors++;
        }
      }),
    );
    const warmSec = (performance.now() - w0) / 1000;
    constant = (await sendRaw({ host: '127.0.0.1', port: cport, path: '' }, dialplanBytes(cport, 0))).body;
    if (!constant.includes(BRIDGE)) throw new Error(`the controller did not route a bench call: ${constant}`);

    const bareReqs = requestsFor(bport, 2000);
    const ctrlReqs = requestsFor(cport, 2000);
    const bareRun = (ms: number) => run('bare Fastify (same form)', bport, bareReqs, ms, constant, true);
    const ctrlRun = (ms: number) => run('controller dialplan', cport, ctrlReqs, ms, BRIDGE, false);
    // Warms up the JIT of both servers and of the client; not counted.
    await bareRun(WARMUP_MS);
    await ctrlRun(WARMUP_MS);
    if (PROFILE) {
      await profile(`${PROFILE}.bare`, () => bareRun(ROUND_MS * 4));
      await profile(`${PROFILE}.controller`, () => ctrlRun(ROUND_MS * 4));
      return;
    }
    // Background load drifts over seconds: each pair's two rounds are back to back and their order alternates, so
    // a pair's ratio sees (nearly) the same machine, and the median of the pairs is not moved by a few bad ones.
    const pairs: { bare: Result; ctrl: Result }[] = [];
    for (let r = 0; r < PAIRS; r++) {
      if (r % 2 === 0) {
        const bare = await bareRun(ROUND_MS);
        pairs.push({ bare, ctrl: await ctrlRun(ROUND_MS) });
      } else {
        const ctrl = await ctrlRun(ROUND_MS);
        pairs.push({ ctrl, bare: await bareRun(ROUND_MS) });
      }
    }
    report({
      seedSec,
      warmSec,
      warmErrors,
      pairs,
      setup: {
        tenants: TENANTS,
        extensions: EXTENSIONS,
        concurrency: CONCURRENCY,
        roundMs: ROUND_MS,
        target: TARGET,
      },
    });
  } finally {
    await loadThread?.terminate();
    await controller?.app.close();
    await bare.close();
    await db.close();
    await database.drop();
  }
}

await main();
