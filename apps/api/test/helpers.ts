/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-explicit-any -- JSON responses are read loosely in tests */
import { Writable } from 'node:stream';
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { createDb } from '@pbx/db';
import { generateApiKey, hashSecret } from '@pbx/domain';
import { TEST_REDIS_URL, createTestDatabase, testRedisPrefix } from '@pbx/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { buildApi } from '../src/app.js';
import { loadConfig } from '../src/config.js';

export type Harness = Awaited<ReturnType<typeof startApi>>;

/**
 * The same app main.ts builds, against a fresh database and Redis prefix.
 * Log lines are captured so tests can check that no secret is ever logged.
 */
export async function startApi(env: Record<string, string> = {}) {
  const database = await createTestDatabase();
  const prefix = testRedisPrefix();
  const config = loadConfig({
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'info',
    ...env,
  });
  const { prisma, close } = createDb({ databaseUrl: database.url, poolSize: 5 });
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await buildApi({ config, prisma, redis, logger: { level: 'info', stream } });
  await app.ready();

  // A platform admin key inserted directly: the API's own key creation is tested through it.
  const platform = generateApiKey();
  await prisma.apiKey.create({
    data: { name: 'test platform', prefix: platform.prefix, keyHash: platform.hash, role: 'PLATFORM_ADMIN' },
  });

  after(async () => {
    await app.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await close();
  });

  return { app, prisma, redis, config, prefix, logs, platformKey: platform.key, client: client(app) };
}

type Init = { headers?: Record<string, string>; body?: unknown; query?: Record<string, string> };

/** app.inject with a bearer key or session cookie and JSON bodies. */
export function client(app: FastifyInstance) {
  const call =
    (auth: string | null) =>
    async (method: string, url: string, init: Init = {}) => {
      const headers: Record<string, string> = { ...init.headers };
      if (auth?.startsWith('pbx_')) headers.authorization = `Bearer ${auth}`;
      else if (auth) headers.cookie = auth;
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
  const keyRes = await p('POST', '/v1/api-keys', { body: { name: `${name} admin`, tenantId: tenant.id } });
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
