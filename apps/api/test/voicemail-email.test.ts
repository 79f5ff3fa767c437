import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTenant, expectProblem, expectStatus, json, populateTenant, startApi } from './helpers.js';

const h = await startApi();
const dir = await mkdtemp(join(tmpdir(), 'pbx-api-vm-mail-'));
after(() => rm(dir, { recursive: true, force: true }));
const a = await createTenant(h, 'Mailer');
const wa = await populateTenant(h, a, dir, '31');
const messageUrl = `${a.base}/voicemail-boxes/${wa.box.id}/messages/${wa.message.id}`;

test('a message shows its e-mail delivery; resend queues it again, once, and only with an address', async () => {
  const before = json(await a.api('GET', messageUrl));
  assert.deepEqual(before.email, {
    state: 'not_required',
    attempts: 0,
    error: null,
    messageId: null,
    sentAt: null,
  });

  expectProblem(await a.api('POST', `${messageUrl}/resend-email`), 400, 'VALIDATION_FAILED');
  expectStatus(
    await a.api('PATCH', `${a.base}/voicemail-boxes/${wa.box.id}`, { body: { email: 'box@example.test' } }),
    200,
  );

  // As the worker leaves a permanently rejected message:
  await h.prisma.voicemailMessage.update({
    where: { id: wa.message.id },
    data: { emailState: 'FAILED', emailAttempts: 1, emailError: '550 5.1.1 mailbox unavailable' },
  });
  const failed = json(await a.api('GET', messageUrl));
  assert.deepEqual(failed.email, {
    state: 'failed',
    attempts: 1,
    error: '550 5.1.1 mailbox unavailable',
    messageId: null,
    sentAt: null,
  });

  const res = await a.api('POST', `${messageUrl}/resend-email`);
  expectStatus(res, 202);
  assert.deepEqual(json(res).email, {
    state: 'queued',
    attempts: 0,
    error: null,
    messageId: null,
    sentAt: null,
  });
  const row = await h.prisma.voicemailMessage.findUniqueOrThrow({ where: { id: wa.message.id } });
  assert.equal(row.emailGeneration, 1, 'a new generation: a new job id and Message-ID');
  expectProblem(await a.api('POST', `${messageUrl}/resend-email`), 409, 'CONFLICT');

  const audit = await h.prisma.auditLog.findFirstOrThrow({
    where: { action: 'voicemail-message.email-resend', entityId: wa.message.id },
  });
  assert.equal(audit.tenantId, a.id);
});

test("another tenant's admin cannot resend this tenant's message", async () => {
  const b = await createTenant(h, 'Other');
  expectProblem(await b.api('POST', `${messageUrl}/resend-email`), 404, 'NOT_FOUND');
  expectProblem(
    await b.api('POST', `${b.base}/voicemail-boxes/${wa.box.id}/messages/${wa.message.id}/resend-email`),
    404,
    'NOT_FOUND',
  );
});
