import { stat } from 'node:fs/promises';
import { recordVoicemailStored, voicemailMessageToStore, type PlatformContext } from '@pbx/domain';
import { jobs } from '@pbx/jobs';
import { storeVerified, type ObjectStorage } from '@pbx/storage';
import type { Job } from 'bullmq';

export type VoicemailStoreResult =
  | { outcome: 'skipped' }
  | { outcome: 'stored'; key: string; sizeBytes: number }
  | { outcome: 'missing' }
  | { outcome: 'deleted-meanwhile' };

/**
 * Copies a deposited message's audio from the media volume into the storage and proves the copy (storeVerified)
 * before the row says it is stored; the media volume's file stays (FreeSWITCH plays it to the box owner).
 * Idempotent: a stored message is skipped, a second upload replaces the object with the same bytes. Storage
 * trouble throws and BullMQ retries; the file gone from the volume is recorded once and never retried.
 */
export function voicemailStoreProcessor(deps: { ctx: PlatformContext; storage: ObjectStorage }) {
  return async (job: Job): Promise<VoicemailStoreResult> => {
    const payload = jobs.voicemailStore.payload.parse(job.data);
    const message = await voicemailMessageToStore(deps.ctx, payload);
    if (!message) return { outcome: 'skipped' };
    const now = new Date();
    const onVolume = await stat(message.filePath).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!onVolume) {
      await recordVoicemailStored(deps.ctx, { ...payload, now, error: 'the audio file is missing' });
      return { outcome: 'missing' };
    }
    const stored = await storeVerified(deps.storage, message.key, message.filePath, 'audio/wav');
    if (!(await recordVoicemailStored(deps.ctx, { ...payload, now }))) {
      // Deleted while we copied: nobody else knows of this copy.
      await deps.storage.delete(message.key);
      return { outcome: 'deleted-meanwhile' };
    }
    return { outcome: 'stored', key: message.key, sizeBytes: stored.sizeBytes };
  };
}
