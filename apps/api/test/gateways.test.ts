// Issue #16: carrier trunks. Platform admins manage them; the password is stored encrypted and never returned or
// logged; tenants are assigned trunks in order; a trunk dedicated to one tenant is invisible to the others.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { decryptSecret } from '@pbx/domain';
import { GatewayStateStore } from '@pbx/events-ingest';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '@pbx/testing';
import { createTenant, expectProblem, expectStatus, json, startApi, type Tenant } from './helpers.js';

const key = randomBytes(32);
const h = await startApi({ GATEWAY_SECRET_KEY: key.toString('base64') });
const noKey = await startApi();
const platform = h.client.as(h.platformKey);
const PASSWORD = 'Tr0nk-s3cret&<"x';

const trunk = (name: string, extra: Record<string, unknown> = {}) =>
  platform('POST', '/v1/gateways', { body: { name, host: 'sip.carrier.example', ...extra } });

void describe('gateways (carrier trunks)', () => {
  let a: Tenant;
  let b: Tenant;

  before(async () => {
    a = await createTenant(h, 'GwA');
    b = await createTenant(h, 'GwB');
  });

  test('create a registering trunk: the password is encrypted, never returned, never logged', async () => {
    const res = await trunk('carrier-reg', {
      register: true,
      username: 'acct42',
      password: PASSWORD,
      realm: 'sip.carrier.example',
      port: 5070,
      transport: 'TCP',
      codecs: ['PCMA', 'G722'],
      numberFormat: 'NATIONAL',
    });
    expectStatus(res, 201);
    const gw = json(res);
    assert.equal(gw.hasPassword, true);
    assert.equal(gw.port, 5070);
    assert.ok(!res.body.includes(PASSWORD));
    assert.ok(!('password' in gw) && !('passwordEnc' in gw));
    const row = await h.prisma.gateway.findUniqueOrThrow({ where: { id: gw.id } });
    assert.ok(row.passwordEnc && !row.passwordEnc.includes(PASSWORD));
    assert.equal(decryptSecret(key, row.passwordEnc), PASSWORD);
    const got = await platform('GET', `/v1/gateways/${gw.id}`);
    expectStatus(got, 200);
    assert.ok(!got.body.includes(PASSWORD) && !got.body.includes(row.passwordEnc));
    const audit = await h.prisma.auditLog.findMany({ where: { entityId: gw.id } });
    assert.ok(audit.length > 0 && !JSON.stringify(audit).includes(row.passwordEnc));
    assert.ok(!h.logs.join('').includes(PASSWORD), 'the password is not in the logs');
  });

  test('validation names the field', async () => {
    expectProblem(await trunk('Bad Name!'), 400, 'VALIDATION_FAILED', 'name');
    expectProblem(await trunk('gw-host', { host: 'bad host<x>' }), 400, 'VALIDATION_FAILED', 'host');
    expectProblem(await trunk('gw-port', { port: 70000 }), 400, 'VALIDATION_FAILED', 'port');
    expectProblem(await trunk('gw-codec', { codecs: ['PCMA"/>'] }), 400, 'VALIDATION_FAILED', 'codecs.0');
    expectProblem(await trunk('gw-tls', { transport: 'TLS' }), 400, 'VALIDATION_FAILED', 'transport');
    expectProblem(await trunk('gw-ctl', { password: 'a\nb' }), 400, 'VALIDATION_FAILED', 'password');
    // sofia skips a registering gateway without username or password: refused instead of silently missing.
    expectProblem(
      await trunk('gw-nouser', { register: true, password: 'x' }),
      400,
      'VALIDATION_FAILED',
      'username',
    );
    expectProblem(
      await trunk('gw-nopw', { register: true, username: 'u' }),
      400,
      'VALIDATION_FAILED',
      'password',
    );
    expectStatus(await trunk('dup'), 201);
    expectProblem(await trunk('dup'), 409, 'CONFLICT', 'name');
  });

  test('without GATEWAY_SECRET_KEY a password cannot be stored (IP-authenticated trunks still can)', async () => {
    const p = noKey.client.as(noKey.platformKey);
    const body = { name: 'nokey', host: '192.0.2.10', register: true, username: 'u', password: 'p' };
    expectProblem(await p('POST', '/v1/gateways', { body }), 503, 'UNAVAILABLE', 'password');
    expectStatus(await p('POST', '/v1/gateways', { body: { name: 'ipauth', host: '192.0.2.10' } }), 201);
  });

  test('update: the password can be replaced or removed; the change is announced to FreeSWITCH', async () => {
    const sub = new Redis(TEST_REDIS_URL);
    const seen: string[] = [];
    await sub.subscribe(`${h.prefix}:gateways-changed`);
    sub.on('message', (_c, m) => seen.push(m));
    try {
      const gw = json(await trunk('upd'));
      assert.equal(gw.hasPassword, false);
      const res = await platform('PATCH', `/v1/gateways/${gw.id}`, {
        body: { name: 'upd2', password: 'new-pass', username: 'u', register: true },
      });
      expectStatus(res, 200);
      assert.equal(json(res).hasPassword, true);
      expectProblem(
        await platform('PATCH', `/v1/gateways/${gw.id}`, { body: { password: null } }),
        400,
        'VALIDATION_FAILED',
        'password',
      );
      const off = await platform('PATCH', `/v1/gateways/${gw.id}`, {
        body: { register: false, password: null },
      });
      expectStatus(off, 200);
      assert.equal(json(off).hasPassword, false);
      expectStatus(await platform('DELETE', `/v1/gateways/${gw.id}`), 204);
      // Published after each commit, in order; the rename names the old gateway.
      while (seen.length < 4) await new Promise((r) => sub.once('message', r));
      const msgs = seen.map((m) => JSON.parse(m) as Record<string, unknown>);
      assert.deepEqual(
        msgs.map((m) => [m.gateway, m.previousGateway, m.removed]),
        [
          ['upd', undefined, false],
          ['upd2', 'upd', false],
          ['upd2', undefined, false],
          ['upd2', undefined, true],
        ],
      );
    } finally {
      sub.disconnect();
    }
  });

  test('tenants get trunks in order; a trunk dedicated to A cannot be given to B', async () => {
    const g1 = json(await trunk('prim'));
    const g2 = json(await trunk('back'));
    const own = json(await trunk('a-only', { tenantId: a.id }));
    const set = await platform('PUT', `${a.base}/trunks`, { body: { gatewayIds: [own.id, g1.id, g2.id] } });
    expectStatus(set, 200);
    assert.deepEqual(
      json(set).items.map((t: { name: string; position: number }) => [t.name, t.position]),
      [
        ['a-only', 0],
        ['prim', 1],
        ['back', 2],
      ],
    );
    // Order can be changed; the list replaces the previous one.
    expectStatus(await platform('PUT', `${a.base}/trunks`, { body: { gatewayIds: [g2.id, own.id] } }), 200);
    const list = json(await a.api('GET', `${a.base}/trunks`));
    assert.deepEqual(
      list.items.map((t: { name: string }) => t.name),
      ['back', 'a-only'],
    );
    expectProblem(
      await platform('PUT', `${b.base}/trunks`, { body: { gatewayIds: [g1.id, own.id] } }),
      400,
      'VALIDATION_FAILED',
      'gatewayIds.1',
    );
    expectProblem(
      await platform('PUT', `${b.base}/trunks`, { body: { gatewayIds: [g1.id, g1.id] } }),
      400,
      'VALIDATION_FAILED',
      'gatewayIds',
    );
    // A used trunk cannot be deleted, nor dedicated to another tenant.
    expectProblem(await platform('DELETE', `/v1/gateways/${g2.id}`), 409, 'REFERENCED');
    expectProblem(
      await platform('PATCH', `/v1/gateways/${g2.id}`, { body: { tenantId: b.id } }),
      409,
      'CONFLICT',
      'tenantId',
    );
    assert.equal(json(await platform('GET', `/v1/gateways/${g2.id}`)).tenantCount, 1);
  });

  test('roles: tenant admins neither see nor change gateways, nor set their trunks; other tenants get 404', async () => {
    const g = json(await trunk('roles'));
    expectProblem(await a.api('GET', '/v1/gateways'), 403, 'FORBIDDEN');
    expectProblem(await a.api('GET', `/v1/gateways/${g.id}`), 403, 'FORBIDDEN');
    expectProblem(
      await a.api('POST', '/v1/gateways', { body: { name: 'x', host: 'h.example' } }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await a.api('PATCH', `/v1/gateways/${g.id}`, { body: { enabled: false } }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await a.api('DELETE', `/v1/gateways/${g.id}`), 403, 'FORBIDDEN');
    expectProblem(await a.api('PUT', `${a.base}/trunks`, { body: { gatewayIds: [g.id] } }), 403, 'FORBIDDEN');
    expectProblem(await a.api('GET', `${b.base}/trunks`), 404, 'NOT_FOUND');
    expectProblem(await platform('GET', `/v1/gateways/${a.id}`), 404, 'NOT_FOUND');
  });

  test('each trunk shows its state per FreeSWITCH node, as the controllers stored it', async () => {
    const g = json(await trunk('stateful'));
    assert.deepEqual(g.status, []);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      // What a controller does with sofia::gateway_state from two nodes (apps/controller/src/events/gateway-status.ts).
      const store = new GatewayStateStore(redis, h.prefix, () => new Date('2026-12-04T10:00:00.000Z'));
      await store.applyEvent({ Gateway: 'stateful', State: 'FAIL_WAIT', 'Ping-Status': 'DOWN' }, 'fs1');
      await store.reconcile('fs2', 'external::stateful\tsip:x@192.0.2.1\tNOREG\t0.00\t0/0\t0/0\n');
      await store.applyEvent({ Gateway: 'other-trunk', State: 'REGED', 'Ping-Status': 'UP' }, 'fs1');
    } finally {
      redis.disconnect();
    }
    const expected = [
      {
        node: 'fs1',
        gateway: 'stateful',
        state: 'FAIL_WAIT',
        pingStatus: 'DOWN',
        changedAt: '2026-12-04T10:00:00.000Z',
      },
      {
        node: 'fs2',
        gateway: 'stateful',
        state: 'NOREG',
        pingStatus: null,
        changedAt: '2026-12-04T10:00:00.000Z',
      },
    ];
    assert.deepEqual(json(await platform('GET', `/v1/gateways/${g.id}`)).status, expected);
    const listed = json(await platform('GET', '/v1/gateways?limit=200')).items.find(
      (x: { id: string }) => x.id === g.id,
    );
    assert.deepEqual(listed.status, expected);
  });
});
