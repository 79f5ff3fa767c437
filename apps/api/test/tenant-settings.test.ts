// A tenant admin's own company settings (issue #17): the fields they may change, the caller ID rule, tenant scope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTenant, expectProblem, expectStatus, json, startApi } from './helpers.js';

const h = await startApi();
const a = await createTenant(h, 'Acme');
const b = await createTenant(h, 'Bolt');
const p = h.client.as(h.platformKey);
for (const [t, e164] of [
  [a, '+4930111000'],
  [b, '+4930222000'],
] as const)
  expectStatus(
    await p('POST', `${t.base}/inbound-numbers`, { body: { e164, destination: { type: 'HANGUP' } } }),
    201,
  );

void test('a tenant admin changes name, time zone, default caller ID and recording; audited', async () => {
  const body = {
    name: 'Acme Dental',
    timeZone: 'America/New_York',
    defaultCallerIdNumber: '+4930111000',
    recordingPolicy: 'ALWAYS',
    recordingRetentionDays: 30,
  };
  const res = await a.api('PATCH', `${a.base}/settings`, { body });
  expectStatus(res, 200);
  const after = json(res);
  for (const [k, v] of Object.entries(body)) assert.equal(after[k], v, k);
  const audit = await h.prisma.auditLog.findFirstOrThrow({ where: { action: 'tenant.update-settings' } });
  assert.equal(audit.tenantId, a.id);
});

void test('refusals name the field: a number not the tenant’s, a bad time zone, platform-only fields', async () => {
  expectProblem(
    await a.api('PATCH', `${a.base}/settings`, { body: { defaultCallerIdNumber: '+4930222000' } }),
    400,
    'VALIDATION_FAILED',
    'defaultCallerIdNumber',
  );
  const tz = await a.api('PATCH', `${a.base}/settings`, { body: { timeZone: 'Mars/Olympus' } });
  expectProblem(tz, 400, 'VALIDATION_FAILED');
  assert.equal(json(tz).errors[0].field, 'timeZone');
  for (const body of [{ maxExtensions: 9999 }, { allowPremium: true }, { domain: 'x.pbx.test' }])
    expectProblem(await a.api('PATCH', `${a.base}/settings`, { body }), 400, 'VALIDATION_FAILED');
  // The platform's own route stays the platform's.
  expectProblem(await a.api('PATCH', a.base, { body: { name: 'x' } }), 403, 'FORBIDDEN');
});

void test("another tenant's settings cannot be changed", async () => {
  const res = await a.api('PATCH', `${b.base}/settings`, { body: { name: 'Hijacked' } });
  assert.ok([403, 404].includes(res.statusCode), res.body);
  assert.equal(json(await b.api('GET', b.base)).name, 'Bolt');
});
