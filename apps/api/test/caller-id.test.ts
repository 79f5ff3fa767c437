// Issue #14 item 5: an extension's caller ID must be the tenant's own (one of its inbound numbers) or a number a
// platform admin verified for it; anything else is refused when written, naming the field.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createTenant, expectProblem, expectStatus, json, startApi, type Tenant } from './helpers.js';

const h = await startApi();

void describe('outbound caller ID', () => {
  let a: Tenant;
  let b: Tenant;
  const platform = h.client.as(h.platformKey);

  before(async () => {
    a = await createTenant(h, 'CidA', { defaultCallerIdNumber: '+4930555000' });
    b = await createTenant(h, 'CidB', { defaultCallerIdNumber: '+4930666000' });
    for (const [t, e164] of [
      [a, '+4930555001'],
      [b, '+4930666001'],
    ] as const)
      expectStatus(
        await platform('POST', `${t.base}/inbound-numbers`, {
          body: { e164, destination: { type: 'HANGUP' } },
        }),
        201,
      );
  });

  const createExt = (t: Tenant, number: string, callerIdNumber: string) =>
    t.api('POST', `${t.base}/extensions`, { body: { number, displayName: number, callerIdNumber } });

  test("the tenant's own inbound number is accepted; any other number is a 400 naming callerIdNumber", async () => {
    expectStatus(await createExt(a, '101', '+4930555001'), 201);
    expectProblem(await createExt(a, '102', '+4930999999'), 400, 'VALIDATION_FAILED', 'callerIdNumber');
    const ext = json(await createExt(a, '103', '+4930555001'));
    expectProblem(
      await a.api('PATCH', `${a.base}/extensions/${ext.id}`, { body: { callerIdNumber: '+4930999999' } }),
      400,
      'VALIDATION_FAILED',
      'callerIdNumber',
    );
  });

  test("tenant B's number is refused for tenant A (create and update)", async () => {
    expectProblem(await createExt(a, '104', '+4930666001'), 400, 'VALIDATION_FAILED', 'callerIdNumber');
    const ext = json(await createExt(a, '105', '+4930555001'));
    expectProblem(
      await a.api('PATCH', `${a.base}/extensions/${ext.id}`, { body: { callerIdNumber: '+4930666001' } }),
      400,
      'VALIDATION_FAILED',
      'callerIdNumber',
    );
    // Verified for B does not make it A's either.
    expectStatus(
      await platform('POST', `${b.base}/verified-caller-ids`, { body: { e164: '+4930777001' } }),
      201,
    );
    expectProblem(await createExt(a, '106', '+4930777001'), 400, 'VALIDATION_FAILED', 'callerIdNumber');
  });

  test('only a platform admin verifies a number; then the tenant may use it; all audited', async () => {
    expectProblem(
      await a.api('POST', `${a.base}/verified-caller-ids`, { body: { e164: '+4930888001' } }),
      403,
      'FORBIDDEN',
    );
    const res = await platform('POST', `${a.base}/verified-caller-ids`, {
      body: { e164: '+4930888001', note: 'carrier LOA 2026-11-02' },
    });
    expectStatus(res, 201);
    const verified = json(res);
    // The tenant admin sees the list but another tenant cannot.
    const list = json(await a.api('GET', `${a.base}/verified-caller-ids`));
    assert.deepEqual(
      list.items.map((v: { e164: string }) => v.e164),
      ['+4930888001'],
    );
    // Another tenant does not even learn the tenant exists.
    expectStatus(await b.api('GET', `${a.base}/verified-caller-ids`), 404);
    expectStatus(await createExt(a, '107', '+4930888001'), 201);
    expectStatus(await a.api('DELETE', `${a.base}/verified-caller-ids/${verified.id}`), 403);
    expectStatus(await platform('DELETE', `${a.base}/verified-caller-ids/${verified.id}`), 204);
    const audit = await h.prisma.auditLog.findMany({
      where: { tenantId: a.id, entityType: 'caller-id' },
      orderBy: { createdAt: 'asc' },
    });
    assert.deepEqual(
      audit.map((r) => r.action),
      ['caller-id.verify', 'caller-id.unverify'],
    );
  });
});
