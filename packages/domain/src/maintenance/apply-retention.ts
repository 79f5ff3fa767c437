import type { ObjectStorage } from '@pbx/storage';
import type { PlatformContext } from '../context.js';
import { removeRecordingFiles } from '../recordings/recording-files.js';
import { runWrite } from '../shared/run-write.js';
import { removeMessageAudio } from '../voicemail/phone/audio-files.js';

export type RetentionResult = { recordings: number; voicemails: number; failed: number };

const BATCH = 500;

/**
 * Deletes what each tenant's retention settings say is too old: recordings past their `expiresAt` (set from
 * `recordingRetentionDays` when the recording started; the row is kept as DELETED for the call history, as a
 * manual delete does) and voicemail messages older than `voicemailRetentionDays` (the row goes; null keeps them). Each is one
 * audited write, its file(s) removed after commit. A message whose e-mail is still being delivered is left
 * for the next run. At most 500 of each per run; the sweep runs again.
 */
export async function applyRetention(
  ctx: PlatformContext,
  options: { now: Date; storage: ObjectStorage; log?: (line: string) => void },
): Promise<RetentionResult> {
  const result: RetentionResult = { recordings: 0, voicemails: 0, failed: 0 };
  const attempt = async (what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      result.failed++;
      options.log?.(`retention: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const recordings = await ctx.db.callRecording.findMany({
    where: { expiresAt: { lte: options.now }, state: { in: ['READY', 'FAILED'] } },
    select: { id: true },
    take: BATCH,
  });
  for (const { id } of recordings)
    await attempt(`recording ${id}`, async () => {
      const removed = await runWrite(ctx, async (tx, record) => {
        const before = await tx.callRecording.findFirst({
          where: { id, expiresAt: { lte: options.now }, state: { in: ['READY', 'FAILED'] } },
        });
        if (!before) return null;
        const after = await tx.callRecording.update({ where: { id }, data: { state: 'DELETED' } });
        await record({
          action: 'recording.retention-delete',
          entityType: 'recording',
          entityId: id,
          tenantId: before.tenantId,
          before,
          after,
          notify: false,
        });
        return before;
      });
      if (!removed) return;
      await removeRecordingFiles(options.storage, removed);
      result.recordings++;
    });

  const messages = await ctx.db.$queryRaw<{ id: string }[]>`
    SELECT m."id" FROM "VoicemailMessage" m JOIN "Tenant" t ON t."id" = m."tenantId"
    WHERE t."voicemailRetentionDays" IS NOT NULL
      AND m."createdAt" <= ${options.now}::timestamptz - make_interval(days => t."voicemailRetentionDays")
      AND m."emailState" NOT IN ('PENDING', 'SENDING', 'RETRYING')
    LIMIT ${BATCH}::int`;
  for (const { id } of messages)
    await attempt(`voicemail message ${id}`, async () => {
      const removed = await runWrite(ctx, async (tx, record) => {
        const before = await tx.voicemailMessage.findFirst({
          where: { id, emailState: { notIn: ['PENDING', 'SENDING', 'RETRYING'] } },
        });
        if (!before) return null;
        await tx.voicemailMessage.delete({ where: { id } });
        await record({
          action: 'voicemail-message.retention-delete',
          entityType: 'voicemail-message',
          entityId: id,
          tenantId: before.tenantId,
          before,
          notify: false,
          voicemailBoxId: before.boxId,
        });
        return before;
      });
      if (removed === null) return;
      // Both copies: the stored one and the media volume's (no e-mail is pending, so the file goes too).
      await removeMessageAudio(removed, options.storage);
      result.voicemails++;
    });
  return result;
}
