// Property-based fuzzing of every API route (issue #14): random and hostile path parameters, query strings,
// headers and bodies, as the tenant's admin, with a garbage token and with none. Whatever arrives, the API answers
// within the per-request bound, never with a 5xx, and every error is problem+json. The run count is modest (the
// suite runs on 2-core CI); FUZZ_RUNS raises it, FUZZ_SEED replays a failure (fast-check prints the seed and the
// shrunk counterexample).
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createTenant, json, startApi } from './helpers.js';

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 6);
const SEED = process.env.FUZZ_SEED === undefined ? Date.now() % 2_147_483_647 : Number(process.env.FUZZ_SEED);
/** A request that has not been answered by then hangs: a bound on each request, not a timing assertion. */
const REQUEST_BOUND_MS = 15_000;

const h = await startApi();
const t = await createTenant(h, 'Fuzz');
const ext = json(await t.api('POST', `${t.base}/extensions`, { body: { number: '100', displayName: 'E' } }));

/** Path segments: mostly well-formed, often hostile (encoded as a client would send them). */
const HOSTILE_SEGMENTS = [
  '..',
  '%2e%2e',
  '%00',
  '%',
  '%zz',
  '%2F',
  'null',
  'undefined',
  '-1',
  '0',
  '1e308',
  "' OR 1=1 --",
  '${jndi:ldap://x}',
  'a'.repeat(5000),
  '%E2%80%AE',
  '00000000-0000-0000-0000-000000000000',
];
const segment = fc.oneof(
  fc.uuid(),
  fc.constantFrom(...HOSTILE_SEGMENTS),
  fc.fullUnicodeString({ maxLength: 40 }).map((s) => encodeURIComponent(s)),
);

const QUERY_KEYS = [
  'limit',
  'offset',
  'search',
  'from',
  'to',
  'status',
  'direction',
  'extension',
  'format',
  'q',
];
const query = fc.oneof(
  fc.constant(''),
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 10 })),
        fc.oneof(
          fc.fullUnicodeString({ maxLength: 30 }),
          fc.integer().map(String),
          fc.constantFrom('', '-1', '1e999', 'NaN', '%', '_', 'true', '[]', '2026-13-45T99:99:99Z'),
        ),
      ),
      { maxLength: 5 },
    )
    .map(
      (pairs) => `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`,
    ),
  fc.constantFrom('?limit=1&limit=2', '?a[b]=c', '?%zz=1', '?limit', '?&&&', `?search=${'%25'.repeat(500)}`),
);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'audio/wav',
];
const body = fc.oneof(
  fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({
    kind: fc.constant('json' as const),
    value: fc.dictionary(
      fc.constantFrom('name', 'number', 'displayName', 'email', 'password', 'e164', 'destination', 'role'),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.fullUnicodeString({ maxLength: 50 })),
    ),
  }),
  fc.record({ kind: fc.constant('raw' as const), value: fc.fullUnicodeString({ maxLength: 300 }) }),
  fc.record({ kind: fc.constant('none' as const), value: fc.constant(null) }),
);
const headers = fc.dictionary(
  fc.constantFrom(
    'accept',
    'idempotency-key',
    'if-match',
    'if-none-match',
    'x-forwarded-for',
    'range',
    'origin',
    'cookie',
    'accept-language',
  ),
  fc.string({ maxLength: 120 }),
  { maxKeys: 4 },
);
const auth = fc.constantFrom('admin', 'none', 'garbage');

const routes = h.app.registeredRoutes.filter(
  // The SSE stream stays open by design (its own test reads it): a request to it does not end.
  (r) => r.method !== 'HEAD' && !r.url.startsWith('/v1/docs') && !r.url.endsWith('/stream'),
);

void test(`fuzzing every API route (seed ${SEED}): never a 5xx, never a hang, errors are problem+json`, async () => {
  assert.ok(routes.length > 50, `only ${routes.length} routes found`);
  for (const route of routes) {
    const params = route.url.match(/:[A-Z]+/gi) ?? [];
    const property = fc.asyncProperty(
      fc.array(fc.oneof(fc.constant('own'), segment), {
        minLength: params.length,
        maxLength: params.length,
      }),
      query,
      body,
      fc.constantFrom(...CONTENT_TYPES),
      headers,
      auth,
      async (values, q, b, contentType, extra, who) => {
        let i = 0;
        const url = route.url.replace(/:[A-Z]+/gi, (name) => {
          const v = values[i++] ?? 'x';
          if (v !== 'own') return v;
          // The real tenant and extension, so requests reach the handlers behind the tenant check.
          return name === ':tenantId' ? t.id : name === ':extensionId' ? ext.id : randomUUID();
        });
        const hasBody = b.kind !== 'none' && !['GET', 'DELETE'].includes(route.method);
        const res = await bounded(
          h.app.inject({
            method: route.method as 'GET',
            url: `${url}${q}`,
            headers: {
              ...extra,
              ...(who === 'admin' ? { authorization: `Bearer ${t.adminKey}` } : {}),
              ...(who === 'garbage' ? { authorization: 'Bearer pbx_0000.garbage' } : {}),
              ...(hasBody ? { 'content-type': contentType } : {}),
            },
            ...(hasBody ? { payload: b.kind === 'json' ? JSON.stringify(b.value) : String(b.value) } : {}),
          }),
          `${route.method} ${url}${q}`,
        );
        const what = `${route.method} ${url}${q} → ${res.statusCode} ${res.body.slice(0, 300)}`;
        assert.ok(res.statusCode < 500, what);
        if (res.statusCode >= 400)
          assert.match(String(res.headers['content-type']), /^application\/problem\+json/, what);
      },
    );
    await fc.assert(property, { numRuns: RUNS_PER_ROUTE, seed: SEED, endOnFailure: true });
  }
});

function bounded<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${REQUEST_BOUND_MS} ms: ${what}`)),
      REQUEST_BOUND_MS,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

// What the fuzzing found, each kept as a plain regression test.
void test('a path that does not URL-decode is a 400 problem, not Fastify’s own JSON', async () => {
  const res = await h.app.inject({ method: 'DELETE', url: '/v1/guard/blocks/../%', headers: {} });
  assert.equal(res.statusCode, 400);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  assert.equal(json(res).code, 'VALIDATION_FAILED');
});
