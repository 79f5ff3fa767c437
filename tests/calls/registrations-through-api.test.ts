// The whole path of issue 6 across processes: FreeSWITCH (the double) → controller (ESL) → Redis → API.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildApi, loadConfig as loadApiConfig } from '@pbx/api';
import { buildController } from '@pbx/controller';
import { createDb } from '@pbx/db';
import { generateApiKey } from '@pbx/domain';
import { startFreeswitchDouble, type FreeswitchDouble } from '@pbx/freeswitch-double';
import { createJobQueues, createJobsConnection } from '@pbx/jobs';
import { createTestDatabase, TEST_REDIS_URL, testRedisPrefix, waitFor } from '@pbx/testing';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';

const dbReady = createTestDatabase();
const prefix = testRedisPrefix();
let fs: FreeswitchDouble;
let db: ReturnType<typeof createDb>;
let api: FastifyInstance;
let controller: Awaited<ReturnType<typeof buildController>>;
const redis = new Redis(TEST_REDIS_URL);
const storeRedis = new Redis(TEST_REDIS_URL);
const jobsConnection = createJobsConnection(TEST_REDIS_URL);
const queues = createJobQueues({ connection: jobsConnection, prefix });
const tenants: Array<{ id: string; domain: string; key: string; ext: string }> = [];

const startController = async () => {
  controller = await buildController({
    settings: {
      xmlCurlUser: 'freeswitch',
      xmlCurlPassword: 'xml-curl-test-password',
      xmlCurlAllow: '127.0.0.1/32',
      recordingsDir: '/var/lib/pbx/recordings',
      outboundSocketAddress: '127.0.0.1:8084',
      redisPrefix: prefix,
    },
    prisma: db.prisma,
    esl: {
      nodes: [{ name: 'fs-1', host: '127.0.0.1', port: fs.port }],
      password: 'ClueCon',
      redis: storeRedis,
      queues,
      options: { backoff: { initialMs: 20, maxMs: 200, jitter: 0.2 } },
    },
  });
  await controller.esl?.node('fs-1').waitReady();
};

const get = async (t: { key: string }, url: string) => {
  const res = await api.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.key}` } });
  return { status: res.statusCode, body: JSON.parse(res.body) };
};
const callIds = async (t: { id: string; key: string }, path = '/registrations') => {
  const res = await get(t, `/v1/tenants/${t.id}${path}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items.map((r: { callId: string }) => r.callId).sort();
};
// Every check asks the API, whose per-principal limit (RATE_LIMIT_PER_MIN, 600) a 10 ms poll would exceed on a
// slow machine: 200 ms keeps a wait of any length under it.
const until = (what: string, check: () => Promise<boolean>) => waitFor(what, check, undefined, 200);

before(async () => {
  const { url } = await dbReady;
  db = createDb({ databaseUrl: url, poolSize: 4 });
  fs = await startFreeswitchDouble({ hostname: 'fs-1' });
  api = await buildApi({
    config: loadApiConfig({
      DATABASE_URL: url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'silent',
    }),
    prisma: db.prisma,
    redis,
    logger: false,
  });
  await api.ready();
  for (const domain of ['alpha.test', 'beta.test']) {
    const tenant = await db.prisma.tenant.create({ data: { name: domain, domain } });
    const ext = await db.prisma.extension.create({
      data: { tenantId: tenant.id, number: '1001', displayName: '1001', sipA1Hash: '0'.repeat(32) },
    });
    const key = generateApiKey();
    await db.prisma.apiKey.create({
      data: {
        name: `${domain} admin`,
        prefix: key.prefix,
        keyHash: key.hash,
        role: 'TENANT_ADMIN',
        tenantId: tenant.id,
      },
    });
    tenants.push({ id: tenant.id, domain, key: key.key, ext: ext.id });
  }
  await startController();
});
after(async () => {
  await controller.app.close();
  await api.close();
  await queues.close();
  await fs.close();
  redis.disconnect();
  storeRedis.disconnect();
  jobsConnection.disconnect();
  await db.close();
});

void test('register / unregister / expire on FreeSWITCH show up in the API, per tenant, and survive a reconnect', async () => {
  const [alpha, beta] = tenants;
  assert.ok(alpha && beta);
  fs.registerPhone({ user: '1001', domain: 'alpha.test', callId: 'alpha-desk' });
  fs.registerPhone({ user: '1002', domain: 'alpha.test', callId: 'alpha-1002' });
  fs.registerPhone({ user: '1001', domain: 'beta.test', callId: 'beta-desk' });
  await until(
    'registrations listed',
    async () => (await callIds(alpha)).length === 2 && (await callIds(beta)).length === 1,
  );
  assert.deepEqual(await callIds(alpha), ['alpha-1002', 'alpha-desk']);
  assert.deepEqual(await callIds(alpha, `/extensions/${alpha.ext}/registrations`), ['alpha-desk']);
  assert.deepEqual(await callIds(beta), ['beta-desk']);
  // Tenant A's admin gets 404 for B's lists.
  assert.equal((await get(alpha, `/v1/tenants/${beta.id}/registrations`)).status, 404);

  fs.unregisterPhone('1002', 'alpha.test');
  fs.expireRegistration('1001', 'beta.test');
  await until(
    'unregister and expire applied',
    async () => (await callIds(alpha)).length === 1 && (await callIds(beta)).length === 0,
  );

  // The ESL connection is cut; phones change meanwhile; after the reconnect the API shows FreeSWITCH's truth.
  fs.faults.refuseAuth = true;
  fs.dropConnections();
  await until('disconnected', () => Promise.resolve(controller.esl?.node('fs-1').state !== 'ready'));
  fs.unregisterPhone('1001', 'alpha.test');
  fs.registerPhone({ user: '1001', domain: 'beta.test', callId: 'beta-again' });
  assert.deepEqual(await callIds(alpha), ['alpha-desk'], 'stale until the controller is back');
  fs.faults.refuseAuth = false;
  await until(
    'reconciled',
    async () => (await callIds(alpha)).length === 0 && (await callIds(beta)).join() === 'beta-again',
  );

  // Controller restarted: the live-call view is rebuilt from the node too.
  const call = fs.placeCall({ from: '1001', to: '5000', domain: 'beta.test', answer: true });
  await until(
    'live call listed',
    async () => (await get(beta, `/v1/tenants/${beta.id}/live-calls`)).body.items?.length === 1,
  );
  await controller.app.close();
  call.hangup();
  await call.ended;
  const second = fs.placeCall({ from: '1001', to: '5001', domain: 'beta.test' });
  await startController();
  await until('live calls rebuilt', async () => {
    const items = (await get(beta, `/v1/tenants/${beta.id}/live-calls`)).body.items;
    return items?.length === 1 && items[0].uuid === second.uuid;
  });
  assert.deepEqual((await get(alpha, `/v1/tenants/${alpha.id}/live-calls`)).body.items, []);
  second.hangup();
  await second.ended;
});
