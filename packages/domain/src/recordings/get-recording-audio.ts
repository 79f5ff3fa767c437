import { storageKeys } from '@pbx/storage';
import type { TenantContext } from '../context.js';
import { AppError } from '../errors.js';
import { getRecording } from './get-recording.js';

/** Only finished recordings can be downloaded: where the worker stored the copy, and its format. */
export async function getRecordingAudio(
  ctx: TenantContext,
  recordingId: string,
): Promise<{ id: string; format: string; storageKey: string }> {
  const row = await getRecording(ctx, recordingId);
  if (row.state !== 'READY')
    throw new AppError('NOT_FOUND', `the recording is ${row.state.toLowerCase()}, not downloadable`);
  return {
    id: row.id,
    format: row.format,
    storageKey: storageKeys.recording(ctx.tenantId, row.id, row.format),
  };
}
