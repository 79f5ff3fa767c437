// The route explainer for tenant admins (issue #17): the dialed number's route, then the keys pressed in each IVR
// menu, on the tenant's own configuration; never another tenant's, never for a tenant user.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { GatewayStateStore } from '@pbx/events-ingest';
import { TEST_REDIS_URL } from '@pbx/testing';
import { Redis } from 'ioredis';
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

void describe('POST /v1/tenants/:tenantId/explain', () => {
  let a: Tenant;
  let b: Tenant;
  const ids: Record<string, string> = {};

  before(async () => {
    a = await createTenant(h, 'ExplainA');
    b = await createTenant(h, 'ExplainB');
    const post = async (t: Tenant, path: string, body: unknown) => {
      const res = await t.api('POST', `${t.base}${path}`, { body });
      expectStatus(res, 201, path);
      return json<{ id: string }>(res).id;
    };
    ids.box = await post(a, '/voicemail-boxes', { number: '800', name: 'Sales box', pin: '4321' });
    ids.sales = await post(a, '/extensions', { number: '101', displayName: 'Sales desk' });
    ids.support = await post(a, '/extensions', { number: '102', displayName: 'Support desk' });
    ids.menu = await post(a, '/ivr-menus', {
      name: 'Reception',
      number: '500',
      directDial: true,
      timeoutDestination: { type: 'EXTENSION', value: ids.sales },
      invalidDestination: { type: 'HANGUP' },
      options: [
        { digits: '1', destination: { type: 'EXTENSION', value: ids.sales } },
        { digits: '2', destination: { type: 'VOICEMAIL', value: ids.box } },
      ],
    });
    await post(b, '/extensions', { number: '101', displayName: 'Other tenant' });
    await post(b, '/ivr-menus', {
      name: 'Other menu',
      number: '500',
      timeoutDestination: { type: 'HANGUP' },
      invalidDestination: { type: 'HANGUP' },
    });
  });

  const explain = (t: Tenant, body: unknown) => t.api('POST', `${t.base}/explain`, { body });

  test('a dialed extension: the route as lines, nothing about menus', async () => {
    const res = await explain(a, { from: '102', to: '101' });
    expectStatus(res, 200);
    const out = json<{ text: string[]; menus: unknown[] }>(res);
    assert.ok(
      out.text.some((l) => l.includes('ring 101')),
      out.text.join('\n'),
    );
    assert.deepEqual(out.menus, []);
  });

  test('an external number: the trunks it would use, in order, with their state per node', async () => {
    const platform = h.client.as(h.platformKey);
    const gw = async (name: string) => {
      const res = await platform('POST', '/v1/gateways', { body: { name, host: '192.0.2.20' } });
      expectStatus(res, 201, name);
      return json<{ id: string }>(res).id;
    };
    const first = await gw('explain-primary');
    const second = await gw('explain-backup');
    expectStatus(
      await platform('PUT', `${a.base}/trunks`, { body: { gatewayIds: [first, second] } }),
      200,
      'trunks',
    );
    expectStatus(await platform('PATCH', a.base, { body: { defaultCallerIdNumber: '+12125550100' } }), 200);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      // What a controller stores from a node's sofia::gateway_state (apps/controller/src/events/gateway-status.ts).
      const store = new GatewayStateStore(redis, h.prefix, () => new Date('2026-12-04T10:00:00.000Z'));
      await store.applyEvent(
        { Gateway: 'explain-primary', State: 'FAIL_WAIT', 'Ping-Status': 'DOWN' },
        'fs1',
      );
    } finally {
      redis.disconnect();
    }
    const res = await explain(a, { from: '102', to: '2125550142' });
    expectStatus(res, 200);
    const out = json<{
      text: string[];
      trunks: Array<{ gateway: string; status: Array<{ node: string; state: string }> }>;
    }>(res);
    assert.deepEqual(
      out.trunks.map((t) => [t.gateway, t.status.map((s) => `${s.node} ${s.state}`)]),
      [
        ['explain-primary', ['fs1 FAIL_WAIT']],
        ['explain-backup', []],
      ],
    );
    assert.ok(
      out.text.includes('trunk 1: explain-primary, FAIL_WAIT (ping DOWN) on fs1'),
      out.text.join('\n'),
    );
    assert.ok(out.text.includes('trunk 2: explain-backup, state not known'), out.text.join('\n'));
    // A number that does not go out has no trunks.
    assert.deepEqual(json<{ trunks: unknown[] }>(await explain(a, { from: '102', to: '101' })).trunks, []);
  });

  test('keys pressed in a menu: an option, direct dial, invalid keys and no keys', async () => {
    const res = await explain(a, { from: '102', to: '500', presses: ['2'] });
    expectStatus(res, 200);
    const out = json<{ text: string[]; menus: { menuName: string; outcome: string; text: string[] }[] }>(res);
    // Said once: the engine's note of the menu and the menu's own step read the same.
    assert.equal(out.text.filter((l) => l.includes('IVR menu Reception')).length, 1, out.text.join('\n'));
    assert.equal(out.menus[0]?.menuName, 'Reception');
    assert.equal(out.menus[0]?.outcome, 'option');
    assert.ok(
      out.menus[0]?.text.some((l) => l.includes('voicemail box 800')),
      out.menus[0]?.text.join('\n'),
    );

    const direct = json<{ menus: { outcome: string; text: string[] }[] }>(
      await explain(a, { from: '102', to: '500', presses: ['101'] }),
    );
    assert.equal(direct.menus[0]?.outcome, 'extension');
    assert.ok(direct.menus[0]?.text.some((l) => l.includes('ring 101')));

    const invalid = json<{ menus: { outcome: string; text: string[] }[] }>(
      await explain(a, { from: '102', to: '500', presses: ['9'] }),
    );
    assert.equal(invalid.menus[0]?.outcome, 'invalid');
    assert.ok(
      invalid.menus[0]?.text.some((l) => l.startsWith('hang up')),
      invalid.menus[0]?.text.join('\n'),
    );

    const none = json<{ menus: { outcome: string; text: string[] }[] }>(
      await explain(a, { from: '102', to: '500', presses: [''] }),
    );
    assert.equal(none.menus[0]?.outcome, 'timeout');
    assert.ok(none.menus[0]?.text.some((l) => l.includes('ring 101')));
  });

  test('bad input is a 400 naming the field', async () => {
    expectProblem(
      await explain(a, { from: '102', to: '500', presses: ['12345'] }),
      400,
      'VALIDATION_FAILED',
      'presses.0',
    );
    expectProblem(await explain(a, { from: '', to: '500' }), 400, 'VALIDATION_FAILED', 'from');
  });

  test("each tenant sees only its own configuration; another tenant's explainer is 403/404", async () => {
    const out = json<{ text: string[] }>(await explain(b, { from: '999', to: '101' }));
    assert.ok(out.text.some((l) => l.includes('ring 101')));
    assert.ok(!out.text.join('\n').includes('Sales'), 'tenant B never sees tenant A');
    const cross = await a.api('POST', `${b.base}/explain`, { body: { from: '102', to: '101' } });
    assert.ok([403, 404].includes(cross.statusCode), `cross-tenant: ${cross.statusCode}`);
  });

  test('a tenant user may not use it', async () => {
    const user = await a.api('POST', `${a.base}/users`, {
      body: {
        email: 'explain-user@example.com',
        password: 'a long enough password',
        role: 'TENANT_USER',
        extensionId: ids.sales,
      },
    });
    expectStatus(user, 201);
    const cookie = await loginAs(h, 'explain-user@example.com', 'a long enough password');
    const res = await h.client.as(cookie)('POST', `${a.base}/explain`, { body: { from: '101', to: '102' } });
    expectProblem(res, 403, 'FORBIDDEN');
  });
});
