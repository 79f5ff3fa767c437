import type { VoicemailMessage } from '@pbx/db';
import type { TenantContext } from '../../context.js';
import { notFound } from '../../errors.js';
import type { StoredDestination } from '../../routing/snapshot.js';
import { runWrite } from '../../shared/run-write.js';

/** The domain's port to the voicemail-email job (`jobs.voicemailEmail` of @pbx/jobs); `jobId` makes it idempotent. */
export type EnqueueVoicemailEmail = (
  payload: { tenantId: string; messageId: string },
  jobId: string,
) => Promise<void>;

export type DepositBox = {
  id: string;
  number: string;
  name: string;
  maxMessages: number;
  maxMessageSec: number;
  full: boolean;
  /** Where the caller goes once told the box is full (routed by the engine like an IVR exit). */
  fallback: StoredDestination;
};

/** What the deposit needs before the beep: the box of this tenant, its limits, and whether it is already full. */
export async function voicemailBoxForDeposit(ctx: TenantContext, boxId: string): Promise<DepositBox> {
  const box = await ctx.db.voicemailBox.findFirst({
    where: { id: boxId, tenantId: ctx.tenantId },
    select: {
      id: true,
      number: true,
      name: true,
      maxMessages: true,
      maxMessageSec: true,
      fallbackDestType: true,
      fallbackDestValue: true,
    },
  });
  if (!box) throw notFound('voicemail box');
  const count = await ctx.db.voicemailMessage.count({ where: { tenantId: ctx.tenantId, boxId } });
  const { fallbackDestType, fallbackDestValue, ...rest } = box;
  return {
    ...rest,
    full: count >= box.maxMessages,
    fallback: { type: fallbackDestType, value: fallbackDestValue },
  };
}

export type DepositInput = {
  boxId: string;
  /** Chosen before recording: the audio file is named after it. */
  messageId: string;
  callUuid: string;
  callerIdName: string;
  callerIdNumber: string;
  durationSec: number;
  filePath: string;
  sizeBytes: number;
  format: string;
  receivedAt: Date;
};

export type DepositResult =
  | { kind: 'saved'; message: VoicemailMessage }
  /** This call already left a message in this box (a retried deposit): that one is kept. */
  | { kind: 'duplicate'; message: VoicemailMessage }
  | { kind: 'full' };

/**
 * The first e-mail job of a message: the same id as `voicemailEmailJobId(messageId, 0)` of @pbx/jobs (which the
 * domain may not import), so the worker's outbox scan and a retried deposit never make a second job.
 */
export const voicemailEmailJobId = (messageId: string): string => `vm_${messageId}_g0`;

/**
 * Saves a recorded message: idempotent by call UUID per box, refused when the box holds `maxMessages` (checked under
 * a row lock, so two callers cannot both take the last place), a VoicemailChanged after commit (MWI), then the
 * e-mail job if the box has an address. A duplicate re-enqueues a still-pending e-mail under the same job id, so a
 * deposit that died between commit and enqueue is completed by its retry.
 */
export async function depositVoicemailMessage(
  ctx: TenantContext,
  input: DepositInput,
  enqueueEmail: EnqueueVoicemailEmail,
): Promise<DepositResult> {
  const result = await runWrite(ctx, async (tx, record): Promise<DepositResult> => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "VoicemailBox" WHERE id = ${input.boxId}::uuid AND "tenantId" = ${ctx.tenantId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw notFound('voicemail box');
    const existing = await tx.voicemailMessage.findFirst({
      where: { tenantId: ctx.tenantId, boxId: input.boxId, callUuid: input.callUuid },
    });
    if (existing) return { kind: 'duplicate', message: existing };
    const box = await tx.voicemailBox.findUniqueOrThrow({
      where: { id: input.boxId },
      select: { maxMessages: true, email: true },
    });
    const count = await tx.voicemailMessage.count({ where: { tenantId: ctx.tenantId, boxId: input.boxId } });
    if (count >= box.maxMessages) return { kind: 'full' };
    const message = await tx.voicemailMessage.create({
      data: {
        id: input.messageId,
        tenantId: ctx.tenantId,
        boxId: input.boxId,
        callUuid: input.callUuid.slice(0, 64),
        callerIdName: input.callerIdName.slice(0, 80),
        callerIdNumber: input.callerIdNumber.slice(0, 32),
        durationSec: Math.max(0, Math.round(input.durationSec)),
        filePath: input.filePath,
        sizeBytes: Math.max(0, Math.trunc(input.sizeBytes)),
        format: input.format,
        emailState: box.email ? 'PENDING' : 'NOT_REQUIRED',
        createdAt: input.receivedAt,
      },
    });
    await record({
      action: 'voicemail-message.create',
      entityType: 'voicemail-message',
      entityId: message.id,
      after: message,
      notify: false,
      voicemailBoxId: input.boxId,
    });
    return { kind: 'saved', message };
  });
  if (result.kind !== 'full' && result.message.emailState === 'PENDING')
    await enqueueEmail(
      { tenantId: ctx.tenantId, messageId: result.message.id },
      voicemailEmailJobId(result.message.id),
    );
  return result;
}
