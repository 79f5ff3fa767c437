import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { systemActor, updateTenant } from '@pbx/domain';
import { testRedisPrefix, waitFor } from '@pbx/testing';
import { durationOf } from './support/audio.js';
import { voicemailMessage, voicemailTenant } from './support/fixtures.js';
import { harness } from './support/harness.js';
import { enqueueVoicemailEmail, queuesFor } from './support/queues.js';
import { SmtpSink } from './support/smtp-sink.js';

const h = await harness();
const scratch = await mkdtemp(join(tmpdir(), 'pbx-vm-mail-'));
after(() => rm(scratch, { recursive: true, force: true }));

const enqueue = (m: { tenantId: string; id: string }, generation = 0) =>
  enqueueVoicemailEmail(h.queues, m, generation);
const first = <T>(items: T[]): T => {
  const [item] = items;
  assert.ok(item !== undefined);
  return item;
};
const row = (id: string) => h.prisma.voicemailMessage.findUnique({ where: { id } });
const stateOf = async (id: string) => (await row(id))?.emailState;

test('a voicemail e-mail carries sender, caller, local time, duration, link, text + HTML and a playable attachment', async (t) => {
  const sink = await SmtpSink.start();
  after(() => sink.close());
  const app = await h.startWorker({ SMTP_URL: sink.url });
  t.after(() => app.close());
  const owner = await voicemailTenant(h.prisma, { domain: 'mail1.pbx.test', email: 'alice@example.test' });
  await h.prisma.tenant.update({ where: { id: owner.tenant.id }, data: { timeZone: 'America/New_York' } });
  const msg = await voicemailMessage(h.prisma, h.mediaDir, owner, {
    seconds: 3,
    callUuid: 'call-mail-1',
    createdAt: new Date('2026-12-04T15:04:00Z'),
  });

  await enqueue(msg);
  await waitFor('the e-mail', () => sink.received.length === 1, t.signal);
  await waitFor('SENT', async () => (await stateOf(msg.id)) === 'SENT', t.signal);

  const { mail, envelopeTo } = first(sink.received);
  assert.deepEqual(envelopeTo, ['alice@example.test']);
  assert.equal(mail.from?.value[0]?.address, 'voicemail@pbx.example.test');
  assert.equal(mail.from?.value[0]?.name, 'Acme Ltd Voicemail', 'the tenant is the sender name');
  assert.equal(mail.subject, 'Voicemail from Bob Smith (+442071838750), 0:03');
  assert.equal(mail.messageId, `<vm-${msg.id}-0@pbx.example.test>`);
  assert.equal(mail.headers.get('x-pbx-voicemail-id'), msg.id);
  const text = mail.text ?? '';
  assert.match(text, /Bob Smith <\+442071838750>/);
  assert.match(
    text,
    /Friday,? 4 December 2026,? (at )?10:04 \(America\/New_York\)/,
    'the time is in the tenant zone',
  );
  assert.match(text, /Length: +0:03/);
  const link = `https://portal.example.test/v1/tenants/${owner.tenant.id}/voicemail-boxes/${owner.box.id}/messages/${msg.id}/audio`;
  assert.ok(text.includes(link));
  assert.ok(typeof mail.html === 'string' && mail.html.includes('Bob Smith &lt;+442071838750&gt;'));

  assert.equal(mail.attachments.length, 1);
  const attachment = first(mail.attachments);
  assert.equal(attachment.contentType, 'audio/wav');
  const decoded = join(scratch, 'attached.wav');
  await writeFile(decoded, attachment.content);
  assert.equal(await durationOf(decoded), 3, 'the attachment decodes to the message length');

  const sent = await row(msg.id);
  assert.equal(sent?.emailMessageId, `<vm-${msg.id}-0@pbx.example.test>`);
  assert.equal(sent?.emailAttempts, 1);
  assert.ok(existsSync(msg.filePath), 'the audio stays (the box does not delete after e-mail)');
  const audit = await h.prisma.auditLog.findFirstOrThrow({
    where: { action: 'voicemail-message.email-sent', entityId: msg.id },
  });
  assert.equal(audit.tenantId, owner.tenant.id);
  // The audit row holds the row as the acceptance found it and as it left it (one statement reads and writes both).
  const before = audit.before as Record<string, unknown>;
  const afterSent = audit.after as Record<string, unknown>;
  assert.equal(before.emailState, 'SENDING');
  assert.equal(before.emailJobId, `vm_${msg.id}_g0`);
  assert.equal(before.emailMessageId, null);
  assert.equal(afterSent.emailState, 'SENT');
  assert.equal(afterSent.emailJobId, null);
  assert.equal(afterSent.emailMessageId, `<vm-${msg.id}-0@pbx.example.test>`);
  assert.equal(afterSent.emailedAt, sent?.emailedAt?.toISOString());
  assert.equal(afterSent.createdAt, msg.createdAt.toISOString());
  assert.match(String(afterSent.smtpResponse), /^250/);
  assert.equal('deleteAfterEmail' in afterSent, false);

  // The same job again, and another job for the same message: nothing more is sent.
  await enqueue(msg);
  await h.queues.enqueue('voicemailEmail', { tenantId: msg.tenantId, messageId: msg.id }, 'other-job-id');
  const other = () => h.queues.queue('voicemailEmail').getJob('other-job-id');
  await waitFor('the second job to finish', async () => (await other())?.finishedOn !== undefined, t.signal);
  assert.deepEqual((await other())?.returnvalue, { outcome: 'skipped', reason: 'sent' });
  assert.equal(sink.accepted, 1);
});

test("the tenant's sender setting (set through the domain's tenant update) is the From of its e-mails", async (t) => {
  const sink = await SmtpSink.start();
  after(() => sink.close());
  const app = await h.startWorker({ SMTP_URL: sink.url });
  t.after(() => app.close());
  const owner = await voicemailTenant(h.prisma, { domain: 'mailfrom.pbx.test', email: 'alice@example.test' });
  const platform = { db: h.prisma, actor: systemActor, notify: () => Promise.resolve() };
  await updateTenant(platform, owner.tenant.id, { emailFrom: 'voicemail@acme.example' });
  const msg = await voicemailMessage(h.prisma, h.mediaDir, owner, { seconds: 1, callUuid: 'call-mail-from' });
  await enqueue(msg);
  await waitFor('SENT', async () => (await stateOf(msg.id)) === 'SENT', t.signal);
  const mail = sink.received.find((r) => r.mail.headers.get('x-pbx-voicemail-id') === msg.id)?.mail;
  assert.equal(mail?.from?.value[0]?.address, 'voicemail@acme.example');
  assert.equal(mail.from?.value[0]?.name, 'Acme Ltd Voicemail');
});

test('audio over the size limit is not attached: the e-mail carries the link only', async (t) => {
  const sink = await SmtpSink.start();
  after(() => sink.close());
  const prefix = testRedisPrefix();
  const app = await h.startWorker(
    { SMTP_URL: sink.url, VOICEMAIL_EMAIL_MAX_ATTACHMENT_BYTES: '10000' },
    prefix,
  );
  t.after(() => app.close());
  const owner = await voicemailTenant(h.prisma, { domain: 'mail2.pbx.test', email: 'big@example.test' });
  const msg = await voicemailMessage(h.prisma, h.mediaDir, owner, { seconds: 2, callUuid: 'call-big' });
  assert.ok(msg.sizeBytes > 10_000);
  const queues = queuesFor(prefix);
  await enqueueVoicemailEmail(queues, msg);
  await waitFor('the e-mail', () => sink.received.length === 1, t.signal);
  const { mail } = first(sink.received);
  assert.equal(mail.attachments.length, 0);
  assert.match(mail.text ?? '', /too large to attach/);
  assert.ok((mail.text ?? '').includes(`/messages/${msg.id}/audio`));
});
