import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mediaLayout } from '@pbx/media';
import { storageKeys } from '@pbx/storage';
import {
  createTenant,
  expectProblem,
  expectStatus,
  json,
  loginAs,
  populateTenant,
  startApi,
} from './helpers.js';

// Issue #14 item 10: the last active admin, and tenant deletion as suspend-then-purge.
const recordingsDir = await mkdtemp(join(tmpdir(), 'pbx-api-purge-'));
const mediaDir = await mkdtemp(join(tmpdir(), 'pbx-api-purge-media-'));
after(() => Promise.all([recordingsDir, mediaDir].map((d) => rm(d, { recursive: true, force: true }))));
const h = await startApi({
  LOGIN_RATE_LIMIT_PER_MIN: '1000',
  RECORDINGS_DIR: recordingsDir,
  MEDIA_DIR: mediaDir,
});
const media = mediaLayout(mediaDir);
const platform = h.client.as(h.platformKey);
const password = 'a long enough password';

void describe('the last active admin of a tenant', () => {
  void test('cannot be disabled, demoted or deleted, by themselves or anyone, until another admin is active', async () => {
    const t = await createTenant(h, 'Solo');
    const first = json(
      await t.api('POST', `${t.base}/users`, {
        body: { email: 'solo@example.com', password, role: 'TENANT_ADMIN' },
      }),
    );
    const self = h.client.as(await loginAs(h, 'solo@example.com', password));
    const url = `${t.base}/users/${first.id}`;
    for (const as of [self, t.api, platform]) {
      const disabled = await as('PATCH', url, { body: { disabled: true } });
      expectProblem(disabled, 409, 'LAST_ADMIN');
      assert.match(json(disabled).detail, /last active admin/);
      expectProblem(await as('PATCH', url, { body: { role: 'TENANT_USER' } }), 409, 'LAST_ADMIN');
    }
    expectProblem(await t.api('DELETE', url), 409, 'LAST_ADMIN');
    expectProblem(await platform('DELETE', url), 409, 'LAST_ADMIN');
    expectStatus(await self('GET', '/v1/auth/me'), 200, 'nothing changed');

    // A disabled admin does not count; an active second one does.
    const second = json(
      await t.api('POST', `${t.base}/users`, {
        body: { email: 'second@example.com', password, role: 'TENANT_ADMIN', disabled: true },
      }),
    );
    expectProblem(await self('PATCH', url, { body: { disabled: true } }), 409, 'LAST_ADMIN');
    expectStatus(await t.api('PATCH', `${t.base}/users/${second.id}`, { body: { disabled: false } }), 200);
    expectStatus(await self('PATCH', url, { body: { role: 'TENANT_USER' } }), 200);
    expectProblem(await t.api('DELETE', `${t.base}/users/${second.id}`), 409, 'LAST_ADMIN', undefined);
    // Other changes to the last admin are fine.
    expectStatus(await t.api('PATCH', `${t.base}/users/${second.id}`, { body: { name: 'Still here' } }), 200);
  });

  void test('two admins disabling each other at the same moment: exactly one succeeds', async () => {
    const t = await createTenant(h, 'Duel');
    const ids: string[] = [];
    for (const email of ['a@duel.example.com', 'b@duel.example.com']) {
      const res = await t.api('POST', `${t.base}/users`, { body: { email, password, role: 'TENANT_ADMIN' } });
      ids.push(json(res).id as string);
    }
    const results = await Promise.all(
      ids.map((id) => t.api('PATCH', `${t.base}/users/${id}`, { body: { disabled: true } })),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
    const active = await h.prisma.user.count({
      where: { tenantId: t.id, role: 'TENANT_ADMIN', disabled: false },
    });
    assert.equal(active, 1);
  });
});

void describe('deleting a tenant: suspend, then purge rows and files', () => {
  void test('DELETE suspends and schedules; restore undoes it; a confirmed purge removes every row and audio file, audited', async () => {
    const t = await createTenant(h, 'Doomed');
    const keep = await createTenant(h, 'Keeper');
    const doomed = await populateTenant(h, t, recordingsDir, '61');
    const kept = await populateTenant(h, keep, recordingsDir, '62');
    // What the controller's dialplan records goes to <RECORDINGS_DIR>/<tenantId>/<uuid>.wav.
    await mkdir(join(recordingsDir, t.id));
    const unlisted = join(recordingsDir, t.id, 'in-progress.wav');
    await writeFile(unlisted, 'RIFF');
    // Greetings live under <MEDIA_DIR>/tenants/<tenantId>.
    for (const [tenant, rows] of [
      [t, doomed],
      [keep, kept],
    ] as const)
      expectStatus(
        await tenant.api('PUT', `${tenant.base}/ivr-menus/${rows.menu.id}/greeting/text`, {
          body: { text: 'Hello.' },
        }),
        200,
      );
    await t.api('POST', `${t.base}/users`, {
      body: { email: 'doomed@example.com', password, role: 'TENANT_ADMIN' },
    });
    // Processed copies in the storage (a READY recording's MP3), one per tenant.
    const copies = [
      storageKeys.recording(t.id, doomed.recording.id, 'mp3'),
      storageKeys.recording(keep.id, kept.recording.id, 'mp3'),
    ];
    for (const key of copies) await h.storage.putFile(key, unlisted, 'audio/mpeg');

    const del = await platform('DELETE', `/v1/tenants/${t.id}`);
    expectStatus(del, 202);
    const scheduled = json(del);
    assert.equal(scheduled.status, 'SUSPENDED');
    const days = (Date.parse(scheduled.purgeAt) - Date.now()) / 86_400_000;
    assert.ok(days > 29.9 && days <= 30, `purge in 30 days (TENANT_PURGE_GRACE_DAYS), got ${days}`);
    // Suspended: its keys and users are refused; nothing is gone yet.
    expectProblem(await t.api('GET', `${t.base}/extensions`), 401, 'UNAUTHENTICATED');
    expectProblem(
      await h.client.anon('POST', '/v1/auth/login', { body: { email: 'doomed@example.com', password } }),
      403,
      'FORBIDDEN',
    );
    assert.ok(existsSync(doomed.recording.filePath) && existsSync(unlisted));
    assert.equal(await h.prisma.extension.count({ where: { tenantId: t.id } }), 2);
    // Asking again keeps the first schedule; PATCH cannot half-undo it.
    assert.equal(json(await platform('DELETE', `/v1/tenants/${t.id}`)).purgeAt, scheduled.purgeAt);
    expectProblem(
      await platform('PATCH', `/v1/tenants/${t.id}`, { body: { status: 'ACTIVE' } }),
      409,
      'CONFLICT',
      'status',
    );

    const restored = await platform('POST', `/v1/tenants/${t.id}/restore`);
    expectStatus(restored, 200);
    assert.equal(json(restored).status, 'ACTIVE');
    assert.equal(json(restored).purgeAt, null);
    expectStatus(await t.api('GET', `${t.base}/extensions`), 200, 'the key works again');
    expectProblem(await platform('POST', `/v1/tenants/${t.id}/restore`), 409, 'CONFLICT');
    expectProblem(
      await platform('POST', `/v1/tenants/${t.id}/purge`, { body: { confirmDomain: t.tenant.domain } }),
      409,
      'CONFLICT',
      undefined,
    );

    expectStatus(await platform('DELETE', `/v1/tenants/${t.id}`), 202);
    expectProblem(
      await platform('POST', `/v1/tenants/${t.id}/purge`, { body: { confirmDomain: keep.tenant.domain } }),
      400,
      'VALIDATION_FAILED',
      'confirmDomain',
    );
    expectProblem(
      await platform('POST', `/v1/tenants/${t.id}/purge`, { body: {} }),
      400,
      'VALIDATION_FAILED',
    );
    expectStatus(
      await platform('POST', `/v1/tenants/${t.id}/purge`, { body: { confirmDomain: t.tenant.domain } }),
      204,
    );

    expectProblem(await platform('GET', `/v1/tenants/${t.id}`), 404, 'NOT_FOUND');
    for (const model of [
      'extension',
      'user',
      'apiKey',
      'cdr',
      'callRecording',
      'voicemailMessage',
    ] as const) {
      const count = await (h.prisma[model] as unknown as { count: (a: object) => Promise<number> }).count({
        where: { tenantId: t.id },
      });
      assert.equal(count, 0, `${model} rows purged`);
    }
    for (const file of [doomed.recording.filePath, doomed.message.filePath, unlisted])
      assert.ok(!existsSync(file), `${file} removed`);
    assert.ok(!existsSync(join(recordingsDir, t.id)), 'the tenant recordings directory is removed');
    assert.ok(!existsSync(media.tenantDir(t.id)), 'the tenant media directory is removed');
    assert.deepEqual(await h.storage.list(storageKeys.tenant(t.id)), [], 'its stored objects are deleted');
    assert.deepEqual(
      await h.storage.list(storageKeys.tenant(keep.id)),
      [storageKeys.greeting(keep.id, `ivr-${kept.menu.id}.wav`), copies[1]],
      "the other tenant's stay (its greeting's copy and its recording)",
    );
    assert.ok(existsSync(media.ivrGreeting(keep.id, kept.menu.id)), "the other tenant's greeting stays");
    // The other tenant keeps everything.
    assert.ok(existsSync(kept.recording.filePath) && existsSync(kept.message.filePath));
    expectStatus(await keep.api('GET', `${keep.base}/extensions`), 200);

    const log = json(await platform('GET', '/v1/audit-log', { query: { limit: '200' } })).items.filter(
      (e: { entityId: string }) => e.entityId === t.id,
    );
    // The tenant's own audit rows go with it; deletion, restore and purge are kept at platform level.
    assert.deepEqual(log.map((e: { action: string }) => e.action).reverse(), [
      'tenant.delete',
      'tenant.restore',
      'tenant.delete',
      'tenant.purge',
    ]);
  });

  void test('only platform admins delete, restore or purge, and never across tenants', async () => {
    const a = await createTenant(h, 'Ownera');
    const b = await createTenant(h, 'Ownerb');
    for (const [method, path, body] of [
      ['DELETE', '', undefined],
      ['POST', '/restore', undefined],
      ['POST', '/purge', { confirmDomain: b.tenant.domain }],
    ] as const) {
      expectProblem(await a.api(method, `/v1/tenants/${b.id}${path}`, { body }), 404, 'NOT_FOUND');
      expectProblem(
        await a.api(method, `/v1/tenants/${a.id}${path}`, { body: { confirmDomain: a.tenant.domain } }),
        403,
        'FORBIDDEN',
      );
    }
    assert.equal(json(await platform('GET', `/v1/tenants/${b.id}`)).status, 'ACTIVE');
  });
});
