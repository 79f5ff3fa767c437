import type { Db, VoicemailMessage } from '@pbx/db';
import { storageKeys } from '@pbx/storage';
import type { PlatformContext } from '../context.js';
import { runWrite } from '../shared/run-write.js';

/** The durable copy's key of a message (the same layout as on the media volume, docs/media.md). */
export const voicemailMessageKey = (m: { tenantId: string; boxId: string; id: string }): string =>
  storageKeys.voicemailMessage(m.tenantId, m.boxId, m.id);

export type MessageToStore = { id: string; tenantId: string; boxId: string; filePath: string; key: string };

/**
 * The message the voicemail-store job is to copy, or null when there is nothing to do: no such message (deleted,
 * or of another tenant) or its copy already stored (or known impossible).
 */
export async function voicemailMessageToStore(
  ctx: PlatformContext,
  input: { tenantId: string; messageId: string },
): Promise<MessageToStore | null> {
  // Raw: once per message on the worker's path, and Prisma's findFirst costs about twice the CPU of the statement.
  const [row] = await ctx.db.$queryRaw<Omit<MessageToStore, 'key'>[]>`
    SELECT "id", "tenantId", "boxId", "filePath" FROM "VoicemailMessage"
    WHERE "id" = ${input.messageId}::uuid AND "tenantId" = ${input.tenantId}::uuid
      AND "storedAt" IS NULL AND "storeError" IS NULL`;
  return row ? { ...row, key: voicemailMessageKey(row) } : null;
}

/**
 * Records that the copy is stored and verified (or, with `error`, that it never can be), audited. Returns false
 * when the message is gone meanwhile: the caller then removes the copy it made, which nobody else would.
 * One conditional UPDATE … RETURNING (raw: Prisma's updateManyAndReturn costs about twice the CPU): of two jobs
 * that copied the same message at once (a job handed over while its first worker still ran it), only one records
 * and audits it; the other sees it recorded.
 */
export async function recordVoicemailStored(
  ctx: PlatformContext,
  input: { tenantId: string; messageId: string; now: Date; error?: string },
): Promise<boolean> {
  return runWrite(ctx, async (tx, record) => {
    // Both columns are null where this matches, so setting the other one to null changes nothing.
    const [after] = await tx.$queryRaw<VoicemailMessage[]>`
      UPDATE "VoicemailMessage" SET
        "storedAt" = ${input.error === undefined ? input.now : null}::timestamptz,
        "storeError" = ${input.error === undefined ? null : input.error.slice(0, 500)}::text
      WHERE "id" = ${input.messageId}::uuid AND "tenantId" = ${input.tenantId}::uuid
        AND "storedAt" IS NULL AND "storeError" IS NULL
      RETURNING *`;
    if (!after)
      return (
        (await tx.voicemailMessage.count({ where: { id: input.messageId, tenantId: input.tenantId } })) > 0
      );
    await record({
      action: input.error === undefined ? 'voicemail-message.stored' : 'voicemail-message.store-failed',
      entityType: 'voicemail-message',
      entityId: after.id,
      tenantId: input.tenantId,
      // The WHERE above proves both were null, and nothing else changed.
      before: { ...after, storedAt: null, storeError: null },
      after,
      notify: false,
    });
    return true;
  });
}

/**
 * Messages whose durable copy is not stored yet: the worker's outbox enqueues a store job for each under the
 * message's own job id (a deposit enqueues nothing itself: the controller only knows the e-mail job).
 */
export async function unstoredVoicemailMessages(
  prisma: Db,
  limit: number,
): Promise<{ id: string; tenantId: string }[]> {
  return prisma.voicemailMessage.findMany({
    where: { storedAt: null, storeError: null },
    select: { id: true, tenantId: true },
    orderBy: { createdAt: 'asc' },
    take: limit,
  });
}
