import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTenant, json, startApi } from './helpers.js';

const h = await startApi();
const t = await createTenant(h, 'Fuzz');
const ext = json(await t.api('POST', `${t.base}/extensions`, { body: { number: '100', displayName: 'E' } }));

const GARBAGE: unknown[] = [
  null,
  [],
  'text',
  42,
  {},
  { number: null, name: {}, displayName: [], pin: 1234, destination: { type: 'EXTENSION' } },
  {
    ranges: [{ dayOfWeek: 1, startMinute: 600, endMinute: 500 }],
    holidays: [{ date: '2026-02-30', name: '' }],
  },
  { email: 'A@B', password: 'x'.repeat(10_000), e164: '+1', timeoutDestination: { type: 'NOWHERE' } },
  { options: [{ digits: '12345', destination: { type: 'HANGUP' } }], members: [{ extensionId: 'nope' }] },
  { name: '\u0000\ud800', timeoutSec: '/abs.wav' },
];
const QUERIES = [
  '?limit=abc',
  '?offset=-1',
  '?from=2026-13-01T00:00:00Z',
  '?limit=1&limit=2',
  '?reroute_type=EXTENSION',
  '?search=%00',
];

void test('no request, however malformed, gets a 5xx; every error is problem+json', async () => {
  const fill = (url: string) =>
    url
      .replace(':tenantId', t.id)
      .replace(':extensionId', ext.id)
      .replace(/:[A-Z]+/gi, () => randomUUID());
  const routes = h.app.registeredRoutes.filter(
    (r) => r.method !== 'HEAD' && !r.url.startsWith('/v1/docs') && r.url !== '/v1/auth/login',
  );
  let checked = 0;
  for (const r of routes) {
    const url = fill(r.url);
    const attempts = ['POST', 'PATCH', 'PUT'].includes(r.method)
      ? GARBAGE.map((body) => ({ url, body }))
      : QUERIES.map((q) => ({ url: `${url}${q}`, body: undefined }));
    for (const a of attempts) {
      const res = await h.app.inject({
        method: r.method as 'GET',
        url: a.url,
        headers: {
          authorization: `Bearer ${t.adminKey}`,
          ...(a.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(a.body !== undefined ? { payload: JSON.stringify(a.body) } : {}),
      });
      checked++;
      assert.ok(
        res.statusCode < 500,
        `${r.method} ${a.url} ${JSON.stringify(a.body)} → ${res.statusCode} ${res.body.slice(0, 300)}`,
      );
      if (res.statusCode >= 400)
        assert.match(
          String(res.headers['content-type']),
          /^application\/problem\+json/,
          `${r.method} ${a.url}`,
        );
    }
  }
  assert.ok(checked > 200);
});
