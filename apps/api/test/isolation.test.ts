import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createTenant,
  expectProblem,
  expectStatus,
  json,
  loginAs,
  populateTenant,
  startApi,
  type Harness,
  type Tenant,
} from './helpers.js';

type World = Awaited<ReturnType<typeof populateTenant>>;

// Every tenant-owned resource, with a valid update body: adding a resource
// to the API without adding it here makes the coverage test below fail.
const RESOURCES: Array<{
  name: string;
  path: (w: World) => string;
  patch?: unknown;
  patchPath?: string;
  del?: boolean;
  extraGets?: string[];
}> = [
  { name: 'users', path: (w) => `/users/${w.user.id}`, patch: { name: 'x' }, del: true },
  { name: 'extensions', path: (w) => `/extensions/${w.ext2.id}`, patch: { displayName: 'x' }, del: true },
  {
    name: 'extension settings',
    path: (w) => `/extensions/${w.ext.id}`,
    patchPath: '/settings',
    patch: { dnd: true },
  },
  { name: 'extension password reset', path: (w) => `/extensions/${w.ext.id}/reset-password` },
  { name: 'voicemail-boxes', path: (w) => `/voicemail-boxes/${w.box.id}`, patch: { name: 'x' }, del: true },
  {
    name: 'voicemail box settings',
    path: (w) => `/voicemail-boxes/${w.box.id}`,
    patchPath: '/settings',
    patch: { pin: '9999' },
  },
  {
    name: 'voicemail messages',
    path: (w) => `/voicemail-boxes/${w.box.id}/messages/${w.message.id}`,
    patch: { read: true },
    del: true,
    extraGets: ['/audio'],
  },
  {
    name: 'voicemail e-mail resend',
    path: (w) => `/voicemail-boxes/${w.box.id}/messages/${w.message.id}/resend-email`,
  },
  { name: 'ivr-menus', path: (w) => `/ivr-menus/${w.menu.id}`, patch: { timeoutSec: 9 }, del: true },
  {
    name: 'ring-groups',
    path: (w) => `/ring-groups/${w.group.id}`,
    patch: { ringTimeoutSec: 40 },
    del: true,
  },
  { name: 'time-conditions', path: (w) => `/time-conditions/${w.tc.id}`, patch: { name: 'x' }, del: true },
  {
    name: 'inbound-numbers',
    path: (w) => `/inbound-numbers/${w.did.id}`,
    patch: { description: 'x' },
    del: true,
  },
  { name: 'recordings', path: (w) => `/recordings/${w.recording.id}`, del: true, extraGets: ['/audio'] },
  { name: 'cdrs', path: (w) => `/cdrs/${w.cdr.id}` },
];

// Set up at module level: node:test's after() (database drop, app close) must belong to the file, not a hook.
const h: Harness = await startApi();
const dir = await mkdtemp(join(tmpdir(), 'pbx-api-iso-'));
const a: Tenant = await createTenant(h, 'Alpha');
const b: Tenant = await createTenant(h, 'Bravo');
const wa: World = await populateTenant(h, a, dir, '11');
const wb: World = await populateTenant(h, b, dir, '22');

void describe('tenant isolation', () => {
  void test('the table covers every tenant-scoped route of the API', () => {
    const doc = h.app.printRoutes({ commonPrefix: false });
    for (const seg of [
      'users',
      'extensions',
      'voicemail-boxes',
      'messages',
      'ivr-menus',
      'ring-groups',
      'time-conditions',
      'inbound-numbers',
      'recordings',
      'cdrs',
    ]) {
      assert.ok(doc.includes(seg), `route segment ${seg} exists`);
      assert.ok(
        RESOURCES.some((r) => r.path(wa).includes(`/${seg}/`)),
        `isolation table has ${seg}`,
      );
    }
  });

  for (const r of RESOURCES) {
    void test(`${r.name}: tenant A's admin cannot read, change or delete tenant B's object`, async () => {
      const objB = r.path(wb);
      // Both URL shapes: B's tenant path, and A's tenant path with B's object id.
      for (const base of [b.base, a.base]) {
        const url = `${base}${objB}`;
        const isAction = /(?:reset-password|resend-email)$/.test(url);
        if (isAction) {
          expectProblem(await a.api('POST', url), 404, 'NOT_FOUND');
          continue;
        }
        expectProblem(await a.api('GET', url), 404, 'NOT_FOUND');
        for (const extra of r.extraGets ?? [])
          expectProblem(await a.api('GET', `${url}${extra}`), 404, 'NOT_FOUND');
        if (r.patch)
          expectProblem(
            await a.api('PATCH', `${url}${r.patchPath ?? ''}`, { body: r.patch }),
            404,
            'NOT_FOUND',
          );
        if (r.del) {
          const res = await a.api('DELETE', url);
          // Releasing a DID is for platform admins: under A's own path the role check answers first.
          if (r.name === 'inbound-numbers' && base === a.base) expectProblem(res, 403, 'FORBIDDEN');
          else expectProblem(res, 404, 'NOT_FOUND');
        }
      }
      // A platform admin acting inside tenant A must not reach B's object through A's path either.
      const p = h.client.as(h.platformKey);
      const url = `${a.base}${objB}`;
      if (/(?:reset-password|resend-email)$/.test(url)) expectProblem(await p('POST', url), 404, 'NOT_FOUND');
      else {
        expectProblem(await p('GET', url), 404, 'NOT_FOUND');
        if (r.del) expectProblem(await p('DELETE', url), 404, 'NOT_FOUND');
      }
      // ...and B's object is still there.
      if (!/(?:reset-password|resend-email)$/.test(url))
        expectStatus(await b.api('GET', `${b.base}${objB}`), 200, `${r.name} of B still readable by B`);
    });
  }

  void test("lists only ever show the tenant's own objects", async () => {
    for (const path of [
      '/users',
      '/extensions',
      '/voicemail-boxes',
      '/ivr-menus',
      '/ring-groups',
      '/time-conditions',
      '/inbound-numbers',
      '/recordings',
      '/cdrs',
      '/audit-log',
      `/voicemail-boxes/${wa.box.id}/messages`,
    ]) {
      const res = await a.api('GET', `${a.base}${path}`);
      expectStatus(res, 200, path);
      const body = json(res);
      assert.ok(body.items.length > 0, `${path} lists A's objects`);
      for (const item of body.items)
        if ('tenantId' in item) assert.equal(item.tenantId, a.id, `${path} leaks another tenant`);
    }
    expectProblem(await a.api('GET', `${b.base}/extensions`), 404, 'NOT_FOUND');
    const keys = json(await a.api('GET', '/v1/api-keys'));
    assert.ok(keys.items.every((k: { tenantId: string }) => k.tenantId === a.id));
    expectProblem(await a.api('GET', `/v1/api-keys/${wb.apiKey.id}`), 404, 'NOT_FOUND');
    expectProblem(await a.api('DELETE', `/v1/api-keys/${wb.apiKey.id}`), 404, 'NOT_FOUND');
    expectProblem(
      await a.api('POST', '/v1/api-keys', { body: { name: 'x', tenantId: b.id } }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await a.api('GET', `/v1/tenants/${b.id}`), 404, 'NOT_FOUND');
    expectProblem(await a.api('GET', '/v1/tenants'), 403, 'FORBIDDEN');
  });

  void test("tenant A cannot route to or link tenant B's objects", async () => {
    const targets = [
      { type: 'EXTENSION', value: wb.ext.id },
      { type: 'VOICEMAIL', value: wb.box.id },
      { type: 'IVR_MENU', value: wb.menu.id },
      { type: 'RING_GROUP', value: wb.group.id },
      { type: 'TIME_CONDITION', value: wb.tc.id },
    ];
    for (const dest of targets) {
      const menu = await a.api('POST', `${a.base}/ivr-menus`, {
        body: {
          name: `Leak ${dest.type}`,
          timeoutDestination: dest,
          invalidDestination: { type: 'HANGUP' },
        },
      });
      expectProblem(menu, 400, 'VALIDATION_FAILED', 'timeoutDestination.value');
      const opt = await a.api('PATCH', `${a.base}/ivr-menus/${wa.menu.id}`, {
        body: { options: [{ digits: '5', destination: dest }] },
      });
      expectProblem(opt, 400, 'VALIDATION_FAILED', 'options.0.destination.value');
      expectProblem(
        await a.api('PATCH', `${a.base}/inbound-numbers/${wa.did.id}`, { body: { destination: dest } }),
        400,
        'VALIDATION_FAILED',
        'destination.value',
      );
      expectProblem(
        await a.api('PATCH', `${a.base}/ring-groups/${wa.group.id}`, { body: { fallback: dest } }),
        400,
        'VALIDATION_FAILED',
        'fallback.value',
      );
      expectProblem(
        await a.api('PATCH', `${a.base}/voicemail-boxes/${wa.box.id}`, { body: { fallback: dest } }),
        400,
        'VALIDATION_FAILED',
        'fallback.value',
      );
      expectProblem(
        await a.api('PATCH', `${a.base}/time-conditions/${wa.tc.id}`, { body: { noMatch: dest } }),
        400,
        'VALIDATION_FAILED',
        'noMatch.value',
      );
      expectProblem(
        await a.api('PATCH', `${a.base}/extensions/${wa.ext2.id}`, { body: { forwardBusy: dest } }),
        400,
        'VALIDATION_FAILED',
        'forwardBusy.value',
      );
    }
    expectProblem(
      await a.api('PATCH', `${a.base}/ring-groups/${wa.group.id}`, {
        body: { members: [{ extensionId: wb.ext.id, timeoutSec: null }] },
      }),
      400,
      'VALIDATION_FAILED',
      'members.0.extensionId',
    );
    expectProblem(
      await a.api('PATCH', `${a.base}/extensions/${wa.ext2.id}`, { body: { voicemailBoxId: wb.box.id } }),
      400,
      'VALIDATION_FAILED',
      'voicemailBoxId',
    );
    expectProblem(
      await a.api('PATCH', `${a.base}/users/${wa.user.id}`, { body: { extensionId: wb.ext2.id } }),
      400,
      'VALIDATION_FAILED',
      'extensionId',
    );
  });

  void test('a tenant user reaches only their own extension and voicemail', async () => {
    const cookie = await loginAs(h, 'user11@example.com', 'a long enough password');
    const u = h.client.as(cookie);
    const me = json(await u('GET', '/v1/auth/me'));
    assert.equal(me.role, 'TENANT_USER');
    assert.equal(me.extension.id, wa.ext.id);
    assert.equal(me.extension.voicemailBoxId, wa.box.id);

    expectStatus(await u('GET', `${a.base}/extensions/${wa.ext.id}`), 200);
    expectStatus(
      await u('PATCH', `${a.base}/extensions/${wa.ext.id}/settings`, { body: { dnd: true } }),
      200,
    );
    expectStatus(
      await u('PATCH', `${a.base}/voicemail-boxes/${wa.box.id}/settings`, { body: { pin: '2468' } }),
      200,
    );
    const list = await u('GET', `${a.base}/voicemail-boxes/${wa.box.id}/messages`);
    expectStatus(list, 200);
    assert.equal(json(list).items[0].id, wa.message.id);
    expectStatus(
      await u('GET', `${a.base}/voicemail-boxes/${wa.box.id}/messages/${wa.message.id}/audio`),
      200,
    );

    // Another user's extension and mailbox in the same tenant: indistinguishable from missing.
    const otherBox = json(
      await a.api('POST', `${a.base}/voicemail-boxes`, {
        body: { number: '877', name: 'Other', pin: '1111' },
      }),
    );
    await h.prisma.voicemailMessage.create({
      data: {
        tenantId: a.id,
        boxId: otherBox.id,
        callUuid: 'other-1',
        durationSec: 3,
        filePath: '/nonexistent.wav',
      },
    });
    expectProblem(await u('GET', `${a.base}/voicemail-boxes/${otherBox.id}/messages`), 404, 'NOT_FOUND');
    expectProblem(await u('GET', `${a.base}/voicemail-boxes/${otherBox.id}`), 404, 'NOT_FOUND');
    expectProblem(await u('GET', `${a.base}/voicemail-boxes/${wb.box.id}/messages`), 404, 'NOT_FOUND');
    expectProblem(await u('GET', `${a.base}/extensions/${wa.ext2.id}`), 404, 'NOT_FOUND');
    expectProblem(
      await u('PATCH', `${a.base}/extensions/${wa.ext2.id}/settings`, { body: { dnd: true } }),
      404,
      'NOT_FOUND',
    );
    // Admin-only fields and routes.
    expectProblem(
      await u('PATCH', `${a.base}/extensions/${wa.ext.id}`, { body: { displayName: 'me' } }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await u('PATCH', `${a.base}/extensions/${wa.ext.id}/settings`, {
        body: { outboundPolicy: 'INTERNATIONAL' },
      }),
      400,
      'VALIDATION_FAILED',
      'outboundPolicy',
    );
    expectProblem(await u('GET', `${a.base}/extensions`), 403, 'FORBIDDEN');
    expectProblem(await u('GET', `${a.base}/cdrs`), 403, 'FORBIDDEN');
    expectProblem(await u('GET', '/v1/api-keys'), 403, 'FORBIDDEN');
    expectProblem(await u('GET', `${b.base}/extensions/${wb.ext.id}`), 404, 'NOT_FOUND');
  });
});
