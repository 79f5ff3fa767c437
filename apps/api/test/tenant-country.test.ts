// Issue #16: a tenant's country (ISO 3166-1 alpha-2) sets how its phones' numbers are read and which numbers are
// its emergency numbers. Only countries libphonenumber has dialling rules for are accepted.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTenant, expectProblem, expectStatus, json, startApi } from './helpers.js';

const h = await startApi();
const platform = h.client.as(h.platformKey);

void describe('tenant country', () => {
  void test('set on create, changed by PATCH (audited), null when never set', async () => {
    const de = await createTenant(h, 'CountryDe', { country: 'DE' });
    assert.equal(de.tenant.country, 'DE');
    const none = await createTenant(h, 'CountryNone');
    assert.equal(none.tenant.country, null);

    const changed = await platform('PATCH', `/v1/tenants/${de.id}`, { body: { country: 'AT' } });
    expectStatus(changed, 200);
    assert.equal(json(changed).country, 'AT');
    assert.equal(json(await de.api('GET', `/v1/tenants/${de.id}`)).country, 'AT');

    const log = json(await platform('GET', '/v1/audit-log', { query: { tenantId: de.id, limit: '50' } }));
    const update = log.items.find((e: { action: string }) => e.action === 'tenant.update');
    assert.equal(update?.before?.country, 'DE');
    assert.equal(update?.after?.country, 'AT');
  });

  void test('anything but a supported ISO 3166-1 alpha-2 code is a 400 naming country', async () => {
    for (const country of ['de', 'DEU', '', 'D1'])
      expectProblem(
        await platform('POST', '/v1/tenants', { body: { name: 'Bad', domain: 'bad-cc.pbx.test', country } }),
        400,
        'VALIDATION_FAILED',
        'country',
      );
    // Well-formed but not a country libphonenumber knows.
    expectProblem(
      await platform('POST', '/v1/tenants', {
        body: { name: 'Bad', domain: 'bad-cc.pbx.test', country: 'XX' },
      }),
      400,
      'VALIDATION_FAILED',
      'country',
    );
    const t = await createTenant(h, 'CountryPatch', { country: 'GB' });
    expectProblem(
      await platform('PATCH', `/v1/tenants/${t.id}`, { body: { country: 'ZZ' } }),
      400,
      'VALIDATION_FAILED',
      'country',
    );
  });

  void test('tenant admins cannot change their country (a platform setting)', async () => {
    const t = await createTenant(h, 'CountryOwn', { country: 'US' });
    expectProblem(await t.api('PATCH', `/v1/tenants/${t.id}`, { body: { country: 'CA' } }), 403, 'FORBIDDEN');
  });
});
