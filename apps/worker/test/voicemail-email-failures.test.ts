import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { resendVoicemailEmail, systemActor } from '@pbx/domain';
import { voicemailEmailJobId } from '@pbx/jobs';
import { testRedisPrefix, waitFor } from '@pbx/testing';
import { voicemailMessage, voicemailTenant } from './support/fixtures.js';
import { harness } from './support/harness.js';
import { enqueueVoicemailEmail, queuesFor } from './support/queues.js';
import { SmtpSink } from './support/smtp-sink.js';

const h = await harness();
const scratch = await mkdtemp(join(tmpdir(), 'pbx-vm-mail-'));
after(() => rm(scratch, { recursive: true, force: true }));

const row = (id: string) => h.prisma.voicemailMessage.findUnique({ where: { id } });
const stateOf = async (id: string) => (await row(id))?.emailState;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('SMTP down: the message is RETRYING with the reason, then delivered exactly once when the server is back', async (t) => {
  const port = await freePort();
  const prefix = testRedisPrefix();
  // The default SMTP timeouts: a refused connection fails at once anyway, and a short timeout could expire on a busy
  // machine after the server accepted the message, so the retry would send it a second time (seen at load 40+).
  const app = await h.startWorker({ SMTP_URL: `smtp://127.0.0.1:${port}` }, prefix);
  t.after(() => app.close());
  const owner = await voicemailTenant(h.prisma, { domain: 'mail3.pbx.test', email: 'down@example.test' });
  const msg = await voicemailMessage(h.prisma, h.mediaDir, owner, { seconds: 1, callUuid: 'call-down' });
  const queues = queuesFor(prefix);
  await enqueueVoicemailEmail(queues, msg);
  await waitFor(
    'a failed attempt',
    async () => {
      const r = await row(msg.id);
      return r?.emailState === 'RETRYING' && (r.emailAttempts ?? 0) >= 2;
    },
    t.signal,
  );
  assert.match((await row(msg.id))?.emailError ?? '', /ECONNREFUSED|ECONNECTION|ESOCKET/);

  const sink = await SmtpSink.start({ port });
  after(() => sink.close());
  await waitFor('SENT', async () => (await stateOf(msg.id)) === 'SENT', t.signal);
  // A duplicate enqueue after delivery changes nothing.
  await queues.enqueue('voicemailEmail', { tenantId: msg.tenantId, messageId: msg.id }, 'late-duplicate');
  const late = await queues.queue('voicemailEmail').getJob('late-duplicate');
  await waitFor('the duplicate to finish', async () => (await late?.getState()) === 'completed', t.signal);
  assert.equal(sink.accepted, 1, 'exactly one e-mail');
  assert.equal((await row(msg.id))?.emailError, null);
});

test('a permanent rejection marks the delivery FAILED with the SMTP answer; resend (picked up by the outbox) after fixing the address delivers it', async (t) => {
  const sink = await SmtpSink.start({ rejectRecipients: ['nobody@example.test'] });
  after(() => sink.close());
  const prefix = testRedisPrefix();
  const app = await h.startWorker({ SMTP_URL: sink.url }, prefix);
  t.after(() => app.close());
  const owner = await voicemailTenant(h.prisma, {
    domain: 'mail4.pbx.test',
    email: 'nobody@example.test',
    deleteAfterEmail: true,
  });
  const msg = await voicemailMessage(h.prisma, h.mediaDir, owner, { seconds: 1, callUuid: 'call-reject' });
  const queues = queuesFor(prefix);
  await enqueueVoicemailEmail(queues, msg);
  await waitFor('FAILED', async () => (await stateOf(msg.id)) === 'FAILED', t.signal);
  const failed = await row(msg.id);
  assert.match(failed?.emailError ?? '', /550/);
  assert.equal(failed?.emailAttempts, 1, 'a permanent failure is not retried');
  assert.ok(existsSync(msg.filePath), 'delete-after-e-mail deletes nothing that was not accepted');
  const job = await queues.queue('voicemailEmail').getJob(voicemailEmailJobId(msg.id));
  assert.equal(await job?.getState(), 'failed');
  assert.equal(sink.accepted, 0);

  await h.prisma.voicemailBox.update({ where: { id: owner.box.id }, data: { email: 'alice@example.test' } });
  const ctx = {
    db: h.prisma,
    actor: { ...systemActor, tenantId: owner.tenant.id },
    notify: () => Promise.resolve(),
    tenantId: owner.tenant.id,
    domain: owner.tenant.domain,
  };
  const queued = await resendVoicemailEmail(ctx, owner.box.id, msg.id);
  assert.equal(queued.emailState, 'PENDING');
  assert.equal(queued.emailGeneration, 1);
  // No enqueue here: the API does not load BullMQ; the worker's outbox picks the queued row up.
  await waitFor(
    'delete after e-mail',
    async () => (await row(msg.id)) === null && !existsSync(msg.filePath),
    t.signal,
  );
  assert.equal(sink.accepted, 1);
  assert.equal(sink.received[0]?.mail.messageId, `<vm-${msg.id}-1@pbx.example.test>`);
  const actions = await h.prisma.auditLog.findMany({
    // The store job's row ('voicemail-message.stored') comes whenever that job runs: not part of this order.
    where: { entityId: msg.id, action: { not: 'voicemail-message.stored' } },
    orderBy: { createdAt: 'asc' },
    select: { action: true },
  });
  assert.deepEqual(
    actions.map((a) => a.action),
    [
      'voicemail-message.email-failed',
      'voicemail-message.email-resend',
      'voicemail-message.email-sent',
      'voicemail-message.delete',
    ],
  );
});
