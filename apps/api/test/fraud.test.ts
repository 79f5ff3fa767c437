// Issue #14: the outbound fraud policy through the API: settings (tenant admins, audited, validated), the
// extensions the velocity rule blocked, and the fraud_blocked alerts, tenant against tenant.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FraudStore, GuardStore } from '@pbx/events-ingest/guards';
import {
  apiKeyIdOf,
  auditOf,
  createTenant,
  expectProblem,
  expectStatus,
  json,
  startApi,
  type Harness,
  type Tenant,
} from './helpers.js';

const h: Harness = await startApi();
let a: Tenant;
let b: Tenant;
let fraud: FraudStore;

const LIMITS = {
  maxConcurrentPerExtension: 5,
  maxConcurrentPerTenant: 10,
  velocityMaxCalls: 1,
  velocityWindowSec: 600,
  velocityBlockSec: 3600,
  maxCallDurationSec: 600,
};

before(async () => {
  a = await createTenant(h, 'FraudA');
  b = await createTenant(h, 'FraudB');
  fraud = new FraudStore(h.redis, h.prefix, new GuardStore(h.redis, h.prefix));
  // Two external calls from 101 in each tenant, as the controllers admit them: the second blocks it.
  const at = Date.now();
  for (const t of [a, b])
    for (const uuid of ['c1', 'c2'])
      await fraud.admit({ tenantId: t.id, extension: '101', uuid: `${t.id}-${uuid}`, at }, LIMITS);
});

void describe('fraud policy routes', () => {
  test('defaults, then a tenant admin changes its own policy (audited); bad values are 400 naming the field', async () => {
    const initial = json(await a.api('GET', `${a.base}/fraud-policy`));
    assert.deepEqual(
      [initial.allowedCountries, initial.allowInternational, initial.allowPremium, initial.updatedAt],
      [[], false, false, null],
    );
    assert.equal(initial.maxConcurrentPerExtension, 2);
    const put = await a.api('PUT', `${a.base}/fraud-policy`, {
      body: {
        allowedCountries: ['GB', 'FR', 'GB'],
        maxConcurrentPerExtension: 1,
        maxCallDurationSec: 900,
      },
    });
    expectStatus(put, 200);
    assert.deepEqual(json(put).allowedCountries, ['FR', 'GB']);
    assert.equal(json(put).maxCallDurationSec, 900);
    assert.equal(json(await a.api('GET', `${a.base}/fraud-policy`)).maxConcurrentPerExtension, 1);
    // B is untouched, and A cannot reach B's policy.
    assert.deepEqual(json(await b.api('GET', `${b.base}/fraud-policy`)).allowedCountries, []);
    expectProblem(await a.api('GET', `${b.base}/fraud-policy`), 404, 'NOT_FOUND');
    expectProblem(
      await a.api('PUT', `${b.base}/fraud-policy`, { body: { maxCallDurationSec: 60 } }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await a.api('PUT', `${a.base}/fraud-policy`, { body: { allowedCountries: ['XX'] } }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await a.api('PUT', `${a.base}/fraud-policy`, { body: { allowedCountries: ['de'] } }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await a.api('PUT', `${a.base}/fraud-policy`, { body: { maxCallDurationSec: 5 } }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await a.api('PUT', `${a.base}/fraud-policy`, { body: { allowInternational: true } }),
      400,
      'VALIDATION_FAILED',
    );
    const audit = await h.prisma.auditLog.findFirst({
      where: { tenantId: a.id, action: 'fraud-policy.update' },
    });
    assert.ok(audit);
  });

  test('per-extension country overrides: set, read, audited; an extension of another tenant is refused', async () => {
    for (const [t, number] of [
      [a, '201'],
      [a, '202'],
      [b, '301'],
    ] as const)
      expectStatus(
        await t.api('POST', `${t.base}/extensions`, { body: { number, displayName: number } }),
        201,
      );
    const put = await a.api('PUT', `${a.base}/fraud-policy`, {
      body: {
        allowedCountries: ['GB'],
        extensionCountries: [{ extension: '201', countries: ['US', 'DE', 'US'] }],
        refusedAlertCount: 3,
        refusedAlertWindowSec: 300,
      },
    });
    expectStatus(put, 200);
    assert.deepEqual(json(put).extensionCountries, [{ extension: '201', countries: ['DE', 'US'] }]);
    assert.deepEqual([json(put).refusedAlertCount, json(put).refusedAlertWindowSec], [3, 300]);
    // B's extension, or a number A does not have, is not A's to override: 400 naming the entry.
    for (const extension of ['301', '999']) {
      const res = await a.api('PUT', `${a.base}/fraud-policy`, {
        body: {
          extensionCountries: [
            { extension: '202', countries: ['FR'] },
            { extension, countries: ['FR'] },
          ],
        },
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      assert.match(res.body, /extensionCountries\[1\]\.extension/);
    }
    expectProblem(
      await a.api('PUT', `${a.base}/fraud-policy`, {
        body: { extensionCountries: [{ extension: '202', countries: ['XX'] }] },
      }),
      400,
      'VALIDATION_FAILED',
    );
    // Nothing of the refused writes stuck; B has no overrides.
    assert.deepEqual(json(await a.api('GET', `${a.base}/fraud-policy`)).extensionCountries, [
      { extension: '201', countries: ['DE', 'US'] },
    ]);
    assert.deepEqual(json(await b.api('GET', `${b.base}/fraud-policy`)).extensionCountries, []);
    // The list replaces the old one; the audit entry shows both.
    expectStatus(
      await a.api('PUT', `${a.base}/fraud-policy`, {
        body: { extensionCountries: [{ extension: '202', countries: ['FR'] }] },
      }),
      200,
    );
    assert.deepEqual(json(await a.api('GET', `${a.base}/fraud-policy`)).extensionCountries, [
      { extension: '202', countries: ['FR'] },
    ]);
    const last = await h.prisma.auditLog.findFirst({
      where: { tenantId: a.id, action: 'fraud-policy.update' },
      orderBy: { createdAt: 'desc' },
    });
    assert.deepEqual(
      [
        (last?.before as { extensionCountries: unknown }).extensionCountries,
        (last?.after as { extensionCountries: unknown }).extensionCountries,
      ],
      [[{ extension: '201', countries: ['DE', 'US'] }], [{ extension: '202', countries: ['FR'] }]],
    );
  });

  test('blocks and fraud_blocked alerts: each tenant sees and lifts its own, the platform sees all', async () => {
    const mine = json(await a.api('GET', `${a.base}/fraud/blocks`));
    assert.deepEqual(
      mine.items.map((x: { extension: string; tenantId: string }) => [x.extension, x.tenantId]),
      [['101', a.id]],
    );
    const alerts = json(await a.api('GET', `${a.base}/guard/alerts`)).items;
    assert.deepEqual(
      alerts.map((x: { kind: string; tenantId: string }) => [x.kind, x.tenantId]),
      [['fraud_blocked', a.id]],
    );
    expectProblem(await a.api('GET', `${b.base}/fraud/blocks`), 404, 'NOT_FOUND');
    expectProblem(await a.api('DELETE', `${b.base}/fraud/blocks/101`), 404, 'NOT_FOUND');
    expectStatus(await a.api('GET', '/v1/fraud/blocks'), 403);
    const all = json(await h.client.as(h.platformKey)('GET', '/v1/fraud/blocks')).items;
    assert.deepEqual(all.map((x: { tenantId: string }) => x.tenantId).sort(), [a.id, b.id].sort());
    const platformAlerts = json(await h.client.as(h.platformKey)('GET', '/v1/guard/alerts')).items;
    assert.equal(platformAlerts.filter((x: { kind: string }) => x.kind === 'fraud_blocked').length, 2);

    expectStatus(await a.api('DELETE', `${a.base}/fraud/blocks/101`), 204);
    expectProblem(await a.api('DELETE', `${a.base}/fraud/blocks/101`), 404, 'NOT_FOUND');
    // Audited: who lifted which extension's block, in A's log only.
    const lifts = await auditOf(h, a.id, 'fraud.extension.lift');
    assert.deepEqual(
      lifts.map((e) => [e.tenantId, e.entityId, e.before?.extension]),
      [[a.id, '101', '101']],
    );
    assert.equal(lifts[0]?.actorApiKeyId, await apiKeyIdOf(h, 'FraudA admin'));
    assert.deepEqual(await auditOf(h, b.id, 'fraud.extension.lift'), []);
    assert.deepEqual(json(await a.api('GET', `${a.base}/fraud/blocks`)).items, []);
    assert.equal(json(await b.api('GET', `${b.base}/fraud/blocks`)).items.length, 1);
  });
});
