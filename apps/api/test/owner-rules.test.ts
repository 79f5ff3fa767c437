// The domain decides what an extension's own user may change, and refuses forwards the routing would drop.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { featureCodeActor, setExtensionDnd } from '@pbx/domain';
import {
  createTenant,
  expectProblem,
  expectStatus,
  json,
  loginAs,
  startApi,
  type Tenant,
} from './helpers.js';

const h = await startApi();

void describe('owner rules and forwards, enforced by the domain', () => {
  let t: Tenant;
  let ext: { id: string };
  let other: { id: string };
  let box: { id: string };
  let user: ReturnType<typeof h.client.as>;

  before(async () => {
    // Home +49 30: Berlin numbers are LOCAL, +49 89 NATIONAL.
    t = await createTenant(h, 'Owners', { defaultCallerIdNumber: '+4930555000' });
    box = json(
      await t.api('POST', `${t.base}/voicemail-boxes`, { body: { number: '801', name: 'B', pin: '1234' } }),
    );
    const res = await t.api('POST', `${t.base}/extensions`, {
      body: { number: '101', displayName: 'Own', voicemailBoxId: box.id, outboundPolicy: 'LOCAL' },
    });
    expectStatus(res, 201);
    ext = json(res);
    other = json(
      await t.api('POST', `${t.base}/extensions`, { body: { number: '102', displayName: 'Other' } }),
    );
    expectStatus(
      await t.api('POST', `${t.base}/users`, {
        body: {
          email: 'owner@example.com',
          password: 'a long enough password',
          role: 'TENANT_USER',
          extensionId: ext.id,
        },
      }),
      201,
    );
    user = h.client.as(await loginAs(h, 'owner@example.com', 'a long enough password'));
  });

  test('a user PATCHes their own extension: DND and forwarding yes, anything else 403 naming the field', async () => {
    expectStatus(await user('PATCH', `${t.base}/extensions/${ext.id}`, { body: { dnd: true } }), 200);
    expectProblem(
      await user('PATCH', `${t.base}/extensions/${ext.id}`, {
        body: { dnd: false, outboundPolicy: 'INTERNATIONAL' },
      }),
      403,
      'FORBIDDEN',
      'outboundPolicy',
    );
    expectProblem(
      await user('PATCH', `${t.base}/extensions/${ext.id}`, { body: { callerIdNumber: '+4930555999' } }),
      403,
      'FORBIDDEN',
      'callerIdNumber',
    );
    expectProblem(
      await user('PATCH', `${t.base}/extensions/${other.id}`, { body: { dnd: true } }),
      404,
      'NOT_FOUND',
    );
    const now = json(await t.api('GET', `${t.base}/extensions/${ext.id}`));
    assert.deepEqual([now.dnd, now.outboundPolicy, now.callerIdNumber], [true, 'LOCAL', null]);
  });

  test('the box owner PATCHes PIN and e-mail; limits and name are 403', async () => {
    expectStatus(await user('PATCH', `${t.base}/voicemail-boxes/${box.id}`, { body: { pin: '2468' } }), 200);
    expectProblem(
      await user('PATCH', `${t.base}/voicemail-boxes/${box.id}`, { body: { maxMessages: 5 } }),
      403,
      'FORBIDDEN',
      'maxMessages',
    );
  });

  test('a forward the outbound policy blocks is a 400 naming the field, from the admin and the owner alike', async () => {
    const national = { type: 'EXTERNAL', value: '+4989555000' };
    expectProblem(
      await t.api('PATCH', `${t.base}/extensions/${ext.id}`, { body: { forwardAlways: national } }),
      400,
      'VALIDATION_FAILED',
      'forwardAlways.value',
    );
    expectProblem(
      await user('PATCH', `${t.base}/extensions/${ext.id}/settings`, { body: { forwardNoAnswer: national } }),
      400,
      'VALIDATION_FAILED',
      'forwardNoAnswer.value',
    );
    // International is off for the tenant, whatever the extension's policy.
    expectProblem(
      await t.api('POST', `${t.base}/extensions`, {
        body: {
          number: '103',
          displayName: 'Intl',
          outboundPolicy: 'INTERNATIONAL',
          forwardBusy: { type: 'EXTERNAL', value: '+12125550142' },
        },
      }),
      400,
      'VALIDATION_FAILED',
      'forwardBusy.value',
    );
    // A local forward is what the policy covers; lowering the policy below it is then refused.
    const local = { type: 'EXTERNAL', value: '+4930555111' };
    expectStatus(
      await user('PATCH', `${t.base}/extensions/${ext.id}/settings`, { body: { forwardAlways: local } }),
      200,
    );
    expectProblem(
      await t.api('PATCH', `${t.base}/extensions/${ext.id}`, { body: { outboundPolicy: 'NONE' } }),
      400,
      'VALIDATION_FAILED',
      'outboundPolicy',
    );
  });

  test('the audit log shows who acted when it was a phone: "extension 101 via feature code"', async () => {
    const tenant = { id: t.id, domain: t.tenant.domain as string };
    await setExtensionDnd(
      {
        db: h.prisma,
        notify: () => Promise.resolve(),
        actor: featureCodeActor(tenant.id, { id: ext.id, number: '101' }),
        tenantId: tenant.id,
        domain: tenant.domain,
      },
      ext.id,
      false,
    );
    const res = await t.api('GET', `${t.base}/audit-log`, { query: { action: 'extension.dnd-off' } });
    expectStatus(res, 200);
    const [entry] = json(res).items;
    assert.deepEqual(
      [entry.actorLabel, entry.actorExtensionId, entry.actorUserId, entry.actorApiKeyId],
      ['extension 101 via feature code', ext.id, null, null],
    );
  });
});
