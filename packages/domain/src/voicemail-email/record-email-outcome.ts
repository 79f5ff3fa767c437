import type { ObjectStorage } from '@pbx/storage';
import type { PlatformContext } from '../context.js';
import { runWrite } from '../shared/run-write.js';
import { removeMessageAudio } from '../voicemail/phone/audio-files.js';

type Key = { tenantId: string; messageId: string; jobId: string };

/**
 * The SMTP server accepted the message: SENT with its Message-ID, audited. When the box says "delete after
 * e-mail", the message row goes in the same transaction (the audit row keeps what was sent) and its audio
 * audio (both copies) after commit, so nothing is deleted unless the acceptance is on record. Only the claiming job may
 * record it (a stale job's late answer changes nothing). Returns whether the message was deleted.
 */
export async function recordEmailSent(
  ctx: PlatformContext,
  input: Key & { smtpMessageId: string; response: string; now: Date },
  storage: ObjectStorage,
): Promise<{ recorded: boolean; deleted: boolean }> {
  const outcome = await runWrite(ctx, async (tx, record) => {
    const row = await tx.voicemailMessage.findFirst({
      where: {
        id: input.messageId,
        tenantId: input.tenantId,
        emailState: 'SENDING',
        emailJobId: input.jobId,
      },
      include: { box: { select: { deleteAfterEmail: true } } },
    });
    if (!row) return { recorded: false, deleted: false, removed: null };
    const { box, ...before } = row;
    const after = await tx.voicemailMessage.update({
      where: { id: row.id },
      data: {
        emailState: 'SENT',
        emailMessageId: input.smtpMessageId.slice(0, 255),
        emailError: null,
        emailedAt: input.now,
        emailJobId: null,
      },
    });
    await record({
      action: 'voicemail-message.email-sent',
      entityType: 'voicemail-message',
      entityId: row.id,
      tenantId: input.tenantId,
      before,
      after: { ...after, smtpResponse: input.response.slice(0, 500) },
      notify: false,
    });
    if (!box.deleteAfterEmail) return { recorded: true, deleted: false, removed: null };
    await tx.voicemailMessage.delete({ where: { id: row.id } });
    await record({
      action: 'voicemail-message.delete',
      entityType: 'voicemail-message',
      entityId: row.id,
      tenantId: input.tenantId,
      before: after,
      notify: false,
      voicemailBoxId: row.boxId,
    });
    return { recorded: true, deleted: true, removed: after };
  });
  if (outcome.removed) await removeMessageAudio(outcome.removed, storage);
  return { recorded: outcome.recorded, deleted: outcome.deleted };
}

/**
 * A temporary failure: RETRYING with the reason, the claim released (the same job id retries). With
 * `final`, the last attempt failed: FAILED instead, audited.
 */
export async function recordEmailFailure(
  ctx: PlatformContext,
  input: Key & { error: string; final: boolean },
): Promise<void> {
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.voicemailMessage.findFirst({
      where: {
        id: input.messageId,
        tenantId: input.tenantId,
        emailState: 'SENDING',
        emailJobId: input.jobId,
      },
    });
    if (!before) return;
    const after = await tx.voicemailMessage.update({
      where: { id: before.id },
      data: {
        emailState: input.final ? 'FAILED' : 'RETRYING',
        emailError: input.error.slice(0, 500),
        emailJobId: null,
      },
    });
    if (input.final)
      await record({
        action: 'voicemail-message.email-failed',
        entityType: 'voicemail-message',
        entityId: before.id,
        tenantId: input.tenantId,
        before,
        after,
        notify: false,
      });
  });
}
