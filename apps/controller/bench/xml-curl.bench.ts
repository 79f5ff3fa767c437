// Directory and dialplan lookups the way mod_xml_curl sends them (a new TCP connection per request, FreeSWITCH's
// exact bytes), 32 at a time, against the controller and against a bare Fastify endpoint in the same run.
// Platform: 1,000 tenants × 50 extensions in a fresh database. Loopback only; about 20 s in total.
//   node --import tsx apps/controller/bench/xml-curl.bench.ts
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createDb } from '@pbx/db';
import { sipA1Hash } from '@pbx/domain';
import {
  dialplanRequest,
  requestBytes,
  sendRaw,
  sipAuthRequest,
  type XmlCurlRequest,
} from '@pbx/esl/double/xml-curl';
import { databaseUrl, quoteIdent, withAdmin } from '@pbx/testing';
import Fastify from 'fastify';
import { buildController } from '../src/app.js';
import type { LoadJob, LoadResult } from './load-worker.js';

const TENANTS = 1000;
const EXTENSIONS = 50;
const CONCURRENCY = 32;
// Bare and controller alternate in short rounds so background load on the machine hits both alike.
const ROUNDS = 3;
const ROUND_MS = 1000;
const USER = 'bench';
const PASSWORD = 'bench-password-123';

/** busyMs: time the server's event loop (this thread) was busy; per request it is the server's own cost, which background load on the machine disturbs much less than throughput. */
type Result = {
  name: string;
  requests: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
  busyMs: number;
};

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

function requestsFor(kind: 'directory' | 'dialplan', port: number, count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => {
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
}

/** Rounds are combined by totals; percentiles are the worst round's (conservative). */
function merge(rs: Result[]): Result {
  return {
    name: rs[0]?.name ?? '',
    requests: rs.reduce((a, r) => a + r.requests, 0),
    errors: rs.reduce((a, r) => a + r.errors, 0),
    seconds: rs.reduce((a, r) => a + r.seconds, 0),
    busyMs: rs.reduce((a, r) => a + r.busyMs, 0),
    p50: Math.max(...rs.map((r) => r.p50)),
    p99: Math.max(...rs.map((r) => r.p99)),
  };
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

function run(
  name: string,
  port: number,
  requests: Buffer[],
  durationMs: number,
  expect: string,
  exact: boolean,
): Promise<Result> {
  const job: LoadJob = { port, requests, durationMs, concurrency: CONCURRENCY, expect, exact };
  const w = loadThread;
  if (!w) throw new Error('load thread not started');
  const elu0 = performance.eventLoopUtilization();
  return new Promise((resolve, reject) => {
    w.once('message', (r: LoadResult) => {
      w.off('error', reject);
      resolve({ name, ...r, busyMs: performance.eventLoopUtilization(elu0).active });
    });
    w.once('error', reject);
    w.postMessage(job);
  });
}

async function main(): Promise<void> {
  const name = `pbx_t_${Date.now().toString(36)}_bench${randomBytes(2).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const url = databaseUrl(name);
  const db = createDb({ databaseUrl: url, poolSize: 10 });
  const bare = Fastify({ logger: false });
  let controller: Awaited<ReturnType<typeof buildController>> | undefined;
  try {
    const t0 = performance.now();
    // Loaded by name: @pbx/db/migrate's engine does not type-check outside packages/db (WebAssembly typings).
    const migrateModule = '@pbx/db/migrate';
    const { applyMigrations } = (await import(migrateModule)) as {
      applyMigrations: (o: { databaseUrl: string; prismaDir: string }) => Promise<unknown>;
    };
    await applyMigrations({
      databaseUrl: url,
      prismaDir: fileURLToPath(new URL('../../../prisma', import.meta.url)),
    });
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
    const results: Result[] = [];
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

    for (const kind of ['directory', 'dialplan'] as const) {
      const bareReqs = requestsFor(kind, bport, 2000);
      const ctrlReqs = requestsFor(kind, cport, 2000);
      const rounds: Result[][] = [[], []];
      for (let r = 0; r < ROUNDS; r++) {
        rounds[0]?.push(await run(`bare Fastify (${kind} body)`, bport, bareReqs, ROUND_MS, constant, true));
        rounds[1]?.push(
          await run(
            `controller ${kind}`,
            cport,
            ctrlReqs,
            ROUND_MS,
            kind === 'directory' ? '<user id="' : 'application="bridge"',
            false,
          ),
        );
      }
      for (const rs of rounds) results.push(merge(rs));
    }

    const rows = results.map((r) => ({ ...r, rate: r.requests / r.seconds }));
    const pad = (s: string, n: number) => s.padEnd(n);
    const num = (v: number, d = 0) => v.toFixed(d).padStart(9);
    console.log(
      `\nseed: ${TENANTS} tenants (createMany) x ${EXTENSIONS} extensions (INSERT ... SELECT) in ${seedSec.toFixed(1)} s, migrations included`,
    );
    console.log(
      `cache fill: ${TENANTS} tenant snapshots loaded via directory lookups in ${warmSec.toFixed(2)} s (${warmErrors} errors)`,
    );
    console.log(
      `load: ${CONCURRENCY} concurrent, one new TCP connection per request, ${ROUNDS} alternating rounds of ${ROUND_MS / 1000} s each\n`,
    );
    console.log(
      `${pad('endpoint', 32)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(9)}${'vs bare'.padStart(9)}${'busy µs/req'.padStart(13)}${'cost ratio'.padStart(12)}`,
    );
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!r) continue;
      const base = i % 2 === 1 ? rows[i - 1] : undefined;
      const ratio = base ? (r.rate / base.rate).toFixed(2).padStart(9) : '        -';
      const busy = (r.busyMs * 1000) / Math.max(1, r.requests);
      const baseBusy = base ? (base.busyMs * 1000) / Math.max(1, base.requests) : NaN;
      const cost = base ? (baseBusy / busy).toFixed(2).padStart(12) : '           -';
      console.log(
        `${pad(r.name, 32)}${num(r.rate)}${num(r.p50, 2)}${num(r.p99, 2)}${num(r.errors)}${ratio}${busy.toFixed(0).padStart(13)}${cost}`,
      );
    }
    console.log(
      '\nvs bare = throughput ratio; cost ratio = bare busy µs/req ÷ controller busy µs/req (the throughput ratio an idle machine would approach)',
    );
    console.log('targets: >= 0.80 of bare, p99 < 10 ms');
  } finally {
    await loadThread?.terminate();
    await controller?.app.close();
    await bare.close();
    await db.close();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
  }
}

await main();
