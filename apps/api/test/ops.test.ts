import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { buildApi } from '../src/app.js';
import { createTenant, expectProblem, expectStatus, json, startApi } from './helpers.js';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

const h = await startApi({ RATE_LIMIT_PER_MIN: '8' });

void test('health, readiness and metrics', async () => {
  expectStatus(await h.client.anon('GET', '/healthz'), 200);
  const ready = await h.client.anon('GET', '/readyz');
  expectStatus(ready, 200);
  assert.deepEqual(json(ready), { status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });

  const t = await createTenant(h, 'Ops');
  expectStatus(await t.api('GET', `${t.base}/extensions`), 200);
  const metrics = await h.client.anon('GET', '/metrics');
  expectStatus(metrics, 200);
  assert.match(String(metrics.headers['content-type']), /^text\/plain/);
  assert.match(
    metrics.body,
    /http_requests_total\{method="GET",route="\/v1\/tenants\/:tenantId\/extensions",status="200"\} 1/,
  );
  assert.match(
    metrics.body,
    /http_request_duration_seconds_count\{method="POST",route="\/v1\/tenants",status="201"\} 1/,
  );
  // The exposition parses as Prometheus text, with both families, their types and help texts.
  const families = parsePrometheusTextFormat(metrics.body);
  assert.deepEqual(
    families.map((f) => [f.name, f.type, f.help]),
    [
      ['http_requests_total', 'COUNTER', 'HTTP requests by method, route and status.'],
      ['http_request_duration_seconds', 'HISTOGRAM', 'HTTP request duration by method, route and status.'],
    ],
  );
  const listed = families[0]?.metrics.find((m) => m.labels?.route === '/v1/tenants/:tenantId/extensions');
  assert.deepEqual(listed, {
    labels: { method: 'GET', route: '/v1/tenants/:tenantId/extensions', status: '200' },
    value: '1',
  });
});

void test('readiness fails when Redis is unreachable; the API still serves', async () => {
  const deadRedis = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  deadRedis.on('error', () => undefined);
  const app = await buildApi({ config: h.config, prisma: h.prisma, redis: deadRedis, logger: false });
  try {
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.equal((JSON.parse(ready.body) as { checks: { redis: string } }).checks.redis, 'unavailable');
    const me = await app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: { authorization: `Bearer ${h.platformKey}` },
    });
    assert.equal(me.statusCode, 200, 'rate limiting skips a Redis outage');
  } finally {
    await app.close();
    deadRedis.disconnect();
  }
});

void test('rate limits per API key, shared by every API process through Redis', async () => {
  const t = await createTenant(h, 'Limited');
  const second = await buildApi({ config: h.config, prisma: h.prisma, redis: h.redis, logger: false });
  try {
    const call = (app: typeof h.app, key: string) =>
      app.inject({ method: 'GET', url: `${t.base}/extensions`, headers: { authorization: `Bearer ${key}` } });
    let seen429 = false;
    for (let i = 0; i < 10 && !seen429; i++) {
      const res = await call(i % 2 ? second : h.app, t.adminKey);
      if (res.statusCode === 429) {
        seen429 = true;
        expectProblem(res, 429, 'RATE_LIMITED');
        assert.ok(i >= 8, `limited after the 8 allowed requests, not at ${i}`);
      } else expectStatus(res, 200);
    }
    assert.ok(seen429, 'the 9th request across both processes is refused');
    // Another key has its own budget.
    const other = json(
      await h.client.as(h.platformKey)('POST', '/v1/api-keys', { body: { name: 'other', tenantId: t.id } }),
    );
    expectStatus(await call(second, other.key as string), 200);
  } finally {
    await second.close();
  }
});

void test('a 5xx hides its cause from the client but logs it', async () => {
  const { createDb } = await import('@pbx/db');
  const { Writable } = await import('node:stream');
  const broken = createDb({
    databaseUrl: 'postgresql://root@127.0.0.1:5432/pbx_database_that_does_not_exist',
    poolSize: 1,
  });
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const app = await buildApi({
    config: h.config,
    prisma: broken.prisma,
    redis: h.redis,
    logger: { level: 'info', stream },
  });
  try {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: { authorization: `Bearer ${h.platformKey}` },
    });
    expectProblem(res, 500, 'INTERNAL');
    assert.doesNotMatch(res.body, /pbx_database_that_does_not_exist|prisma|postgres/i);
    assert.ok(
      lines.some((l) => l.includes('"level":50') && l.includes('request failed')),
      'the cause is logged',
    );
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 503);
  } finally {
    await app.close();
    await broken.close();
  }
});

void test('X-Forwarded-For is believed only from the configured proxy', async () => {
  const viaProxy = await buildApi({
    config: { ...h.config, TRUST_PROXY: '127.0.0.1' },
    prisma: h.prisma,
    redis: h.redis,
    logger: false,
  });
  try {
    const login = (remoteAddress: string) =>
      viaProxy.inject({
        method: 'POST',
        url: '/v1/auth/login',
        remoteAddress,
        headers: { 'x-forwarded-for': '203.0.113.7' },
        payload: { email: 'nobody@example.com', password: 'whatever it is' },
      });
    await login('127.0.0.1');
    await login('198.51.100.1');
    const keys = await h.redis.keys(`${h.prefix}:ratelimit:*login*`);
    assert.ok(
      keys.some((k) => k.endsWith('login:203.0.113.7')),
      `the proxied client is limited by its own address: ${keys.join()}`,
    );
    assert.ok(
      keys.some((k) => k.endsWith('login:198.51.100.1')),
      'a direct caller cannot pick its address',
    );
  } finally {
    await viaProxy.close();
  }
});
