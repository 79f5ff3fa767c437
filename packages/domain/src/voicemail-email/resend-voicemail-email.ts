import type { VoicemailMessage } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';
import { assertBoxOwner } from '../voicemail/assert-box-owner.js';

/**
 * Queues the message's e-mail again (after FAILED, or to send a SENT one once more): PENDING under a new
 * generation, which is a new job id and a new Message-ID. Refused while a delivery is under way.
 * The caller enqueues `voicemailEmail` with `voicemailEmailJobId(message)`.
 */
export async function resendVoicemailEmail(
  ctx: TenantContext,
  boxId: string,
  messageId: string,
): Promise<VoicemailMessage> {
  return runWrite(ctx, async (tx, record) => {
    await assertBoxOwner(tx, ctx, boxId);
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "VoicemailMessage"
      WHERE "id" = ${messageId}::uuid AND "boxId" = ${boxId}::uuid AND "tenantId" = ${ctx.tenantId}::uuid
      FOR UPDATE`;
    if (locked.length === 0) throw notFound('voicemail message');
    const before = await tx.voicemailMessage.findUniqueOrThrow({
      where: { id: messageId },
      include: { box: { select: { email: true } } },
    });
    if (!before.box.email)
      throw new AppError('VALIDATION_FAILED', 'the voicemail box has no e-mail address', { field: 'email' });
    if (['PENDING', 'SENDING', 'RETRYING'].includes(before.emailState))
      throw new AppError('CONFLICT', `the e-mail is already ${before.emailState.toLowerCase()}`);
    const { box: _box, ...row } = before;
    const after = await tx.voicemailMessage.update({
      where: { id: messageId },
      data: {
        emailState: 'PENDING',
        emailGeneration: { increment: 1 },
        emailAttempts: 0,
        emailError: null,
        emailJobId: null,
      },
    });
    await record({
      action: 'voicemail-message.email-resend',
      entityType: 'voicemail-message',
      entityId: messageId,
      before: row,
      after,
      notify: false,
    });
    return after;
  });
}
