import type { CallRecording } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { AppError } from '../errors.js';
import { getRecording } from './get-recording.js';

/** Only finished recordings can be downloaded. */
export async function getRecordingAudio(ctx: TenantContext, recordingId: string): Promise<CallRecording> {
  const row = await getRecording(ctx, recordingId);
  if (row.state !== 'READY')
    throw new AppError('NOT_FOUND', `the recording is ${row.state.toLowerCase()}, not downloadable`);
  return row;
}
