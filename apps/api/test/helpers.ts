import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { createDb } from '@pbx/db';
import { generateApiKey, hashSecret } from '@pbx/domain';
import { createStorage } from '@pbx/storage';
import { TEST_REDIS_URL, createTestDatabase, testRedisPrefix } from '@pbx/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { buildApi } from '../src/app.js';
import { loadConfig } from '../src/config.js';

/** Test keys may do everything their role allows. */
export const ALL_SCOPES = ['READ', 'WRITE', 'USERS', 'API_KEYS'] as const;

export type Harness = Awaited<ReturnType<typeof startApi>>;

/**
 * The same app main.ts builds, against a fresh database and Redis prefix.
 * Log lines are captured so tests can check that no secret is ever logged.
 */
export async function startApi(env: Record<string, string> = {}) {
  const database = await createTestDatabase();
  const prefix = testRedisPrefix();
  // The local storage backend in a directory of this file's own, unless `env` names another backend.
  const storageDir = await mkdtemp(join(tmpdir(), 'pbx-api-storage-'));
  const config = loadConfig({
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'info',
    STORAGE_DIR: storageDir,
    ...env,
  });
  const storage = createStorage(config);
  const { prisma, close } = createDb({ databaseUrl: database.url, poolSize: 5 });
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await buildApi({ config, prisma, redis, storage, logger: { level: 'info', stream } });
  await app.ready();

  // A platform admin key inserted directly: the API's own key creation is tested through it.
  const platform = generateApiKey();
  await prisma.apiKey.create({
    data: {
      name: 'test platform',
      prefix: platform.prefix,
      keyHash: platform.hash,
      role: 'PLATFORM_ADMIN',
      scopes: [...ALL_SCOPES],
    },
  });

  after(async () => {
    await app.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await close();
    await rm(storageDir, { recursive: true, force: true });
  });

  return {
    app,
    prisma,
    redis,
    config,
    storage,
    prefix,
    logs,
    platformKey: platform.key,
    client: client(app),
  };
}

type Init = { headers?: Record<string, string>; body?: unknown; query?: Record<string, string> };

/** app.inject with a bearer key or session cookie and JSON bodies. */
export function client(app: FastifyInstance) {
  const call =
    (auth: string | null) =>
    async (method: string, url: string, init: Init = {}) => {
      const headers: Record<string, string> = { ...init.headers };
      if (auth?.startsWith('pbx_session=')) headers.cookie = auth;
      else if (auth) headers.authorization = `Bearer ${auth}`;
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(init.query ? { query: init.query } : {}),
        ...(init.body !== undefined ? { payload: init.body as object } : {}),
      });
      return res;
    };
  return { as: call, anon: call(null) };
}

export const json = <T = any>(res: LightMyRequestResponse): T => JSON.parse(res.body) as T;

export function expectStatus(res: LightMyRequestResponse, status: number, note = ''): void {
  assert.equal(
    res.statusCode,
    status,
    `${note} expected ${status}, got ${res.statusCode}: ${res.body.slice(0, 500)}`,
  );
}

export function expectProblem(
  res: LightMyRequestResponse,
  status: number,
  code: string,
  field?: string,
): void {
  expectStatus(res, status);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = json(res);
  assert.equal(body.code, code, res.body);
  assert.equal(body.status, status);
  if (field !== undefined) assert.equal(body.field, field, res.body);
}

/** Creates a tenant and a TENANT_ADMIN API key for it through the API. */
export async function createTenant(h: Harness, name: string, extra: Record<string, unknown> = {}) {
  const p = h.client.as(h.platformKey);
  const tenantRes = await p('POST', '/v1/tenants', {
    body: { name, domain: `${name.toLowerCase()}.pbx.test`, ...extra },
  });
  expectStatus(tenantRes, 201, 'create tenant');
  const tenant = json(tenantRes);
  const keyRes = await p('POST', '/v1/api-keys', {
    body: { name: `${name} admin`, tenantId: tenant.id, scopes: ALL_SCOPES },
  });
  expectStatus(keyRes, 201, 'create key');
  const adminKey = json(keyRes).key as string;
  return {
    tenant,
    id: tenant.id as string,
    adminKey,
    api: h.client.as(adminKey),
    base: `/v1/tenants/${tenant.id}`,
  };
}

/** A portal user with a password, logged in; returns the session cookie. */
export async function loginAs(h: Harness, email: string, password: string): Promise<string> {
  const res = await h.client.anon('POST', '/v1/auth/login', { body: { email, password } });
  expectStatus(res, 200, 'login');
  const setCookie = res.headers['set-cookie'];
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  assert.ok(first, 'no session cookie');
  return first.split(';')[0] ?? '';
}

export async function createPlatformAdmin(h: Harness, email: string, password: string) {
  return h.prisma.user.create({
    data: { email, passwordHash: await hashSecret(password), role: 'PLATFORM_ADMIN', name: 'Platform' },
  });
}

export type Tenant = Awaited<ReturnType<typeof createTenant>>;

/**
 * One of everything in a tenant, created through the API (history rows the
 * controller/worker would write are inserted directly), for isolation tests.
 */
export async function populateTenant(h: Harness, t: Tenant, audioDir: string, n: string) {
  const post = async (path: string, body: unknown, as = t.api) => {
    const res = await as('POST', `${t.base}${path}`, { body });
    expectStatus(res, 201, `create ${path}`);
    return json(res);
  };
  const box = await post('/voicemail-boxes', { number: `8${n}`, name: `Box ${n}`, pin: '4321' });
  const ext = await post('/extensions', { number: `1${n}`, displayName: `Ext ${n}`, voicemailBoxId: box.id });
  const ext2 = await post('/extensions', { number: `2${n}`, displayName: `Other ${n}` });
  const menu = await post('/ivr-menus', {
    name: `Menu ${n}`,
    timeoutDestination: { type: 'EXTENSION', value: ext.id },
    invalidDestination: { type: 'HANGUP' },
    options: [{ digits: '1', destination: { type: 'EXTENSION', value: ext.id } }],
  });
  const group = await post('/ring-groups', {
    name: `Group ${n}`,
    fallback: { type: 'VOICEMAIL', value: box.id },
    members: [{ extensionId: ext.id, timeoutSec: null }],
  });
  const tc = await post('/time-conditions', {
    name: `Hours ${n}`,
    match: { type: 'IVR_MENU', value: menu.id },
    noMatch: { type: 'VOICEMAIL', value: box.id },
    ranges: [{ dayOfWeek: 1, startMinute: 540, endMinute: 1020 }],
  });
  const did = await post(
    '/inbound-numbers',
    { e164: `+4930555${n}00`, destination: { type: 'TIME_CONDITION', value: tc.id } },
    h.client.as(h.platformKey),
  );
  const user = await post('/users', {
    email: `user${n}@example.com`,
    password: 'a long enough password',
    role: 'TENANT_USER',
    extensionId: ext.id,
  });
  const keyRes = await t.api('POST', '/v1/api-keys', { body: { name: `key ${n}`, scopes: ALL_SCOPES } });
  expectStatus(keyRes, 201);
  const apiKey = json(keyRes);

  const { writeFile } = await import('node:fs/promises');
  const messagePath = `${audioDir}/vm-${n}.wav`;
  await writeFile(messagePath, Buffer.from(`RIFF-voicemail-${n}`));
  const message = await h.prisma.voicemailMessage.create({
    data: {
      tenantId: t.id,
      boxId: box.id,
      callUuid: `call-vm-${n}`,
      durationSec: 12,
      filePath: messagePath,
      sizeBytes: 20,
      callerIdNumber: '+4930999',
    },
  });
  const recordingPath = `${audioDir}/rec-${n}.wav`;
  await writeFile(recordingPath, Buffer.from(`RIFF-recording-${n}`));
  const recording = await h.prisma.callRecording.create({
    data: {
      tenantId: t.id,
      callUuid: `call-rec-${n}`,
      extensionId: ext.id,
      filePath: recordingPath,
      state: 'READY',
      durationSec: 30,
      sizeBytes: 20,
    },
  });
  const cdr = await h.prisma.cdr.create({
    data: {
      tenantId: t.id,
      callUuid: `call-cdr-${n}`,
      direction: 'INBOUND',
      fromNumber: '+4930999',
      toNumber: `1${n}`,
      extensionNumber: `1${n}`,
      startedAt: new Date('2026-11-20T10:00:00Z'),
      answeredAt: new Date('2026-11-20T10:00:05Z'),
      endedAt: new Date('2026-11-20T10:01:00Z'),
      durationSec: 60,
      billsec: 55,
      hangupCause: 'NORMAL_CLEARING',
      recordingId: recording.id,
    },
  });
  return { box, ext, ext2, menu, group, tc, did, user, apiKey, message, recording, cdr };
}

/** The audit entries of one action, newest first, as the tenant (or, with `tenantId` null, the platform) sees them. */
export async function auditOf(h: Harness, tenantId: string | null, action: string) {
  const p = h.client.as(h.platformKey);
  const res = await p('GET', '/v1/audit-log', { query: { limit: '200', ...(tenantId ? { tenantId } : {}) } });
  expectStatus(res, 200);
  return (
    json(res).items as {
      action: string;
      tenantId: string | null;
      actorApiKeyId: string | null;
      entityId: string | null;
      before: Record<string, unknown> | null;
    }[]
  ).filter((e) => e.action === action);
}

/** The id of the API key created under this name (who an audit row names). */
export async function apiKeyIdOf(h: Harness, name: string): Promise<string> {
  const key = await h.prisma.apiKey.findFirst({ where: { name }, select: { id: true } });
  if (!key) throw new Error(`no API key named ${name}`);
  return key.id;
}
