import type { VoicemailMessage } from '@pbx/db';
import type { ObjectStorage } from '@pbx/storage';
import type { PlatformContext } from '../context.js';
import { runWrite } from '../shared/run-write.js';
import { removeMessageAudio } from '../voicemail/phone/audio-files.js';

type Key = { tenantId: string; messageId: string; jobId: string };

/** A message row as the SMTP acceptance found it (`before`) and left it (`after`), with its box's setting. */
type SentImage = VoicemailMessage & { image: 'before' | 'after'; deleteAfterEmail: boolean };

/**
 * The SMTP server accepted the message: SENT with its Message-ID, audited. When the box says "delete after
 * e-mail", the message row goes in the same transaction (the audit row keeps what was sent) and its audio
 * (both copies) after commit, so nothing is deleted unless the acceptance is on record. Only the claiming job may
 * record it (a stale job's late answer changes nothing). Returns whether the message was deleted.
 * The row is locked, checked, updated and returned as it was and as it is in one statement (one round trip on
 * every e-mail's path, instead of a read of the row, one of its box and the update); the audit row is the
 * transaction's second.
 */
export async function recordEmailSent(
  ctx: PlatformContext,
  input: Key & { smtpMessageId: string; response: string; now: Date },
  storage: ObjectStorage,
): Promise<{ recorded: boolean; deleted: boolean }> {
  const outcome = await runWrite(ctx, async (tx, record) => {
    const images = await tx.$queryRaw<SentImage[]>`
      WITH cur AS (
        SELECT m.*, b."deleteAfterEmail"
        FROM "VoicemailMessage" m
        JOIN "VoicemailBox" b ON b."id" = m."boxId"
        WHERE m."id" = ${input.messageId}::uuid AND m."tenantId" = ${input.tenantId}::uuid
          AND m."emailState" = 'SENDING' AND m."emailJobId" = ${input.jobId}::text
        FOR UPDATE OF m
      ), sent AS (
        UPDATE "VoicemailMessage" m SET
          "emailState" = 'SENT',
          "emailMessageId" = ${input.smtpMessageId.slice(0, 255)}::text,
          "emailError" = NULL,
          "emailedAt" = ${input.now}::timestamptz,
          "emailJobId" = NULL
        FROM cur
        WHERE m."id" = cur."id"
        RETURNING m.*
      )
      SELECT 'before' AS "image", cur.* FROM cur
      UNION ALL
      SELECT 'after' AS "image", sent.*, cur."deleteAfterEmail" FROM sent JOIN cur ON cur."id" = sent."id"`;
    const image = (which: SentImage['image']): VoicemailMessage | null => {
      const found = images.find((i) => i.image === which);
      if (!found) return null;
      const { image: _image, deleteAfterEmail: _delete, ...row } = found;
      return row;
    };
    const before = image('before');
    const after = image('after');
    if (!before || !after) return { recorded: false, deleted: false, removed: null };
    await record({
      action: 'voicemail-message.email-sent',
      entityType: 'voicemail-message',
      entityId: after.id,
      tenantId: input.tenantId,
      before,
      after: { ...after, smtpResponse: input.response.slice(0, 500) },
      notify: false,
    });
    if (!images.some((i) => i.deleteAfterEmail)) return { recorded: true, deleted: false, removed: null };
    await tx.voicemailMessage.delete({ where: { id: after.id } });
    await record({
      action: 'voicemail-message.delete',
      entityType: 'voicemail-message',
      entityId: after.id,
      tenantId: input.tenantId,
      before: after,
      notify: false,
      voicemailBoxId: after.boxId,
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
