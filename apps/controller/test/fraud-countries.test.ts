// The fraud policy's per-extension country override (docs/security.md), through the controller's real snapshot load:
// one extension may call a country its tenant's allow-list leaves out; its neighbours and another tenant's extension
// of the same number may not.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase } from '@pbx/testing';
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
let c: Running;

before(async () => {
  const setup = await startController(db.url);
  const p = setup.prisma;
  for (const domain of ['acme.test', 'other.test']) {
    const t = await createTenant(p, domain, { allowInternational: true });
    await createGateway(p, t.id, `trunk-${domain}`);
    await p.fraudPolicy.create({ data: { tenantId: t.id, allowedCountries: ['GB'] } });
    await createExtension(p, t, '1001', { outboundPolicy: 'INTERNATIONAL' });
    await createExtension(p, t, '1002', { outboundPolicy: 'INTERNATIONAL' });
    if (domain === 'acme.test')
      await p.extension.updateMany({
        where: { tenantId: t.id, number: '1001' },
        data: { extraCountries: ['FR'] },
      });
  }
  await setup.close();
  c = await startController(db.url);
});
after(async () => {
  await c.close();
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
