import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { createTenant, expectProblem, expectStatus, json, startApi } from './helpers.js';

const h = await startApi();
const t = await createTenant(h, 'Sub');
const box = json(
  await t.api('POST', `${t.base}/voicemail-boxes`, { body: { number: '800', name: 'Box', pin: '1234' } }),
);
const ext = json(
  await t.api('POST', `${t.base}/extensions`, {
    body: { number: '100', displayName: 'E', voicemailBoxId: box.id },
  }),
);
const msg = await h.prisma.voicemailMessage.create({
  data: { tenantId: t.id, boxId: box.id, callUuid: 'm', durationSec: 1, filePath: '/nonexistent.wav' },
});

// Validation and not-found cases of the routes that are not plain CRUD collections.
const CASES: Array<
  [method: string, path: string, body: unknown, status: number, code: string, field?: string]
> = [
  ['POST', '/v1/auth/login', {}, 400, 'VALIDATION_FAILED', 'email'],
  [
    'POST',
    '/v1/auth/login',
    { email: 'a@b.c', password: 'x'.repeat(129) },
    400,
    'VALIDATION_FAILED',
    'password',
  ],
  [
    'POST',
    '/v1/auth/login',
    { email: 'a@b.c', password: 'x', remember: true },
    400,
    'VALIDATION_FAILED',
    'remember',
  ],
  ['POST', '/v1/api-keys', {}, 400, 'VALIDATION_FAILED', 'name'],
  ['POST', '/v1/api-keys', { name: 5 }, 400, 'VALIDATION_FAILED', 'name'],
  ['POST', '/v1/api-keys', { name: 'x'.repeat(121) }, 400, 'VALIDATION_FAILED', 'name'],
  ['POST', '/v1/api-keys', { name: 'x', role: 'PLATFORM_ADMIN' }, 400, 'VALIDATION_FAILED', 'role'],
  ['GET', `/v1/api-keys/${randomUUID()}`, undefined, 404, 'NOT_FOUND'],
  ['DELETE', `/v1/api-keys/${randomUUID()}`, undefined, 404, 'NOT_FOUND'],
  ['PATCH', `${t.base}/extensions/${ext.id}/settings`, { dnd: 'yes' }, 400, 'VALIDATION_FAILED', 'dnd'],
  [
    'PATCH',
    `${t.base}/extensions/${ext.id}/settings`,
    { forwardAlways: { type: 'EXTERNAL' } },
    400,
    'VALIDATION_FAILED',
    'forwardAlways.value',
  ],
  [
    'PATCH',
    `${t.base}/extensions/${ext.id}/settings`,
    { forwardAlways: { type: 'EXTENSION', value: ext.id } },
    400,
    'VALIDATION_FAILED',
    'forwardAlways.value',
  ],
  ['PATCH', `${t.base}/extensions/${randomUUID()}/settings`, { dnd: true }, 404, 'NOT_FOUND'],
  ['POST', `${t.base}/extensions/${randomUUID()}/reset-password`, undefined, 404, 'NOT_FOUND'],
  ['PATCH', `${t.base}/voicemail-boxes/${box.id}/settings`, { pin: '12' }, 400, 'VALIDATION_FAILED', 'pin'],
  [
    'PATCH',
    `${t.base}/voicemail-boxes/${box.id}/settings`,
    { greetingFile: '../../etc/passwd' },
    400,
    'VALIDATION_FAILED',
    'greetingFile',
  ],
  [
    'PATCH',
    `${t.base}/voicemail-boxes/${box.id}/settings`,
    { email: `${'x'.repeat(250)}@example.com` },
    400,
    'VALIDATION_FAILED',
    'email',
  ],
  [
    'PATCH',
    `${t.base}/voicemail-boxes/${box.id}/settings`,
    { maxMessages: 5 },
    400,
    'VALIDATION_FAILED',
    'maxMessages',
  ],
  ['PATCH', `${t.base}/voicemail-boxes/${randomUUID()}/settings`, { pin: '1234' }, 404, 'NOT_FOUND'],
  ['PATCH', `${t.base}/voicemail-boxes/${box.id}/messages/${msg.id}`, {}, 400, 'VALIDATION_FAILED', 'read'],
  [
    'PATCH',
    `${t.base}/voicemail-boxes/${box.id}/messages/${msg.id}`,
    { read: true, at: 1 },
    400,
    'VALIDATION_FAILED',
    'at',
  ],
  ['PATCH', `${t.base}/voicemail-boxes/${box.id}/messages/${randomUUID()}`, { read: true }, 404, 'NOT_FOUND'],
  ['GET', `${t.base}/voicemail-boxes/${randomUUID()}/messages`, undefined, 404, 'NOT_FOUND'],
  [
    'GET',
    `${t.base}/voicemail-boxes/${box.id}/messages?unread=maybe`,
    undefined,
    400,
    'VALIDATION_FAILED',
    'unread',
  ],
  ['DELETE', `${t.base}/voicemail-boxes/${box.id}/messages/${randomUUID()}`, undefined, 404, 'NOT_FOUND'],
  ['GET', `${t.base}/recordings/${randomUUID()}`, undefined, 404, 'NOT_FOUND'],
  ['GET', `${t.base}/recordings/${randomUUID()}/audio`, undefined, 404, 'NOT_FOUND'],
  ['GET', `${t.base}/recordings?state=GONE`, undefined, 400, 'VALIDATION_FAILED', 'state'],
  ['GET', `${t.base}/cdrs/${randomUUID()}`, undefined, 404, 'NOT_FOUND'],
  ['GET', `${t.base}/cdrs/export.csv?to=tomorrow`, undefined, 400, 'VALIDATION_FAILED', 'to'],
  ['GET', `${t.base}/cdrs?extension=${'1'.repeat(9)}`, undefined, 400, 'VALIDATION_FAILED', 'extension'],
  ['GET', `${t.base}/audit-log?from=bad`, undefined, 400, 'VALIDATION_FAILED', 'from'],
  [
    'GET',
    `${t.base}/audit-log?entityType=${'x'.repeat(41)}`,
    undefined,
    400,
    'VALIDATION_FAILED',
    'entityType',
  ],
  ['GET', `${t.base}/inbound-numbers/${randomUUID()}`, undefined, 404, 'NOT_FOUND'],
  [
    'DELETE',
    `${t.base}/extensions/${ext.id}?reroute_type=NOWHERE`,
    undefined,
    400,
    'VALIDATION_FAILED',
    'reroute_type',
  ],
  ['GET', `/v1/tenants/${randomUUID()}/extensions`, undefined, 404, 'NOT_FOUND'],
];

void test('validation and not-found on every non-collection route (platform key)', async () => {
  const p = h.client.as(h.platformKey);
  for (const [method, path, body, status, code, field] of CASES) {
    const res = await p(method, path, body === undefined ? {} : { body });
    expectProblem(res, status, code, field);
  }
  expectProblem(await p('GET', '/v1/audit-log?tenantId=nope'), 400, 'VALIDATION_FAILED', 'tenantId');
  expectStatus(await p('GET', '/v1/audit-log'), 200);
});
