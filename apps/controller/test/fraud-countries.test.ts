// The fraud policy's per-extension country override (docs/security.md), through the controller's real snapshot load:
// one extension may call a country its tenant's allow-list leaves out; its neighbours and another tenant's extension
// of the same number may not.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GuardStore } from '@pbx/events-ingest/guards';
import { createTestDatabase, TEST_REDIS_URL, waitFor } from '@pbx/testing';
import { Redis } from 'ioredis';
import {
  actionsOf,
  createExtension,
  createGateway,
  createTenant,
  phoneCall,
  setVars,
  startController,
  type Running,
} from './helpers.js';

const db = await createTestDatabase();
const redis = new Redis(TEST_REDIS_URL);
let c: Running;
const tenantIds = new Map<string, string>();

before(async () => {
  const setup = await startController(db.url);
  const p = setup.prisma;
  for (const domain of ['acme.test', 'other.test']) {
    const t = await createTenant(p, domain, { allowInternational: true });
    await createGateway(p, t.id, `trunk-${domain}`);
    tenantIds.set(domain, t.id);
    await p.fraudPolicy.create({
      data: { tenantId: t.id, allowedCountries: ['GB'], refusedAlertCount: 3, refusedAlertWindowSec: 600 },
    });
    await createExtension(p, t, '1001', { outboundPolicy: 'INTERNATIONAL' });
    await createExtension(p, t, '1002', { outboundPolicy: 'INTERNATIONAL' });
    if (domain === 'acme.test')
      await p.extension.updateMany({
        where: { tenantId: t.id, number: '1001' },
        data: { extraCountries: ['FR'] },
      });
  }
  await setup.close();
  c = await startController(db.url, {}, { guards: { redis } });
});
after(async () => {
  await c.close();
  redis.disconnect();
  await db.drop();
});

const blocked = async (domain: string, from: string, to: string) =>
  setVars(actionsOf(await c.client.dialplan(phoneCall(domain, from, to)), domain)).get(
    'pbx_blocked_reason',
  ) ?? null;

test('an extension override reaches its own extension only', async () => {
  assert.equal(await blocked('acme.test', '1001', '+33142685300'), null);
  assert.equal(await blocked('acme.test', '1002', '+33142685300'), 'COUNTRY_BLOCKED');
  assert.equal(await blocked('other.test', '1001', '+33142685300'), 'COUNTRY_BLOCKED');
  // The tenant's own list still applies to everyone; the override never widens past its countries.
  assert.equal(await blocked('acme.test', '1002', '+442079460000'), null);
  assert.equal(await blocked('acme.test', '1001', '+4930901820'), 'COUNTRY_BLOCKED');
});

test('repeated refusals short of the velocity rule: one fraud_refusals alert per window, for that tenant only', async (t) => {
  const guards = new GuardStore(redis, c.prefix);
  const acme = tenantIds.get('acme.test') ?? '';
  const other = tenantIds.get('other.test') ?? '';
  const counted = async (tenantId: string, ext: string) =>
    Number((await redis.get(`${c.prefix}:fraud:refused:${tenantId}:${ext}`)) ?? 0);
  const refusals = async (tenantId: string) =>
    (await guards.alerts(tenantId)).filter((a) => a.kind === 'fraud_refusals');
  const before = await counted(acme, '1002');
  for (let i = before; i < 2; i++)
    assert.equal(await blocked('acme.test', '1002', '+33142685300'), 'COUNTRY_BLOCKED');
  await waitFor('two refusals counted', async () => (await counted(acme, '1002')) === 2, t.signal);
  assert.deepEqual(await refusals(acme), []);
  // The third raises the alert; a fourth in the same window does not raise another.
  await blocked('acme.test', '1002', '+33142685300');
  await waitFor('the alert', async () => (await refusals(acme)).length === 1, t.signal);
  await blocked('acme.test', '1002', '+33142685300');
  await waitFor('four refusals counted', async () => (await counted(acme, '1002')) === 4, t.signal);
  const alerts = await refusals(acme);
  assert.equal(alerts.length, 1);
  assert.deepEqual(
    [alerts[0]?.detail.extension, alerts[0]?.detail.calls, alerts[0]?.detail.reason],
    ['1002', 3, 'COUNTRY_BLOCKED'],
  );
  // A call that goes out is not counted (noteRefusal returns before any Redis work); the other tenant has no alert.
  const was = await counted(acme, '1001');
  assert.equal(await blocked('acme.test', '1001', '+33142685300'), null);
  assert.equal(await counted(acme, '1001'), was);
  assert.deepEqual(await refusals(other), []);
});
