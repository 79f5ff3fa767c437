import { randomUUID } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import {
  findRecordingToProcess,
  markRecordingFailed,
  markRecordingReady,
  type PlatformContext,
} from '@pbx/domain';
import { jobs } from '@pbx/jobs';
import { CONTENT_TYPES, storageKeys, storeVerified, type ObjectStorage } from '@pbx/storage';
import type { Job } from 'bullmq';
import { BadAudioError, encodeMp3, headerDuration } from '../recordings/audio-tools.js';

export type RecordingResult =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'failed'; reason: string }
  | { outcome: 'ready'; recordingId: string; durationSec: number; sizeBytes: number };

// More missing audio than this (header vs data) is a truncated file, not rounding.
const TRUNCATION_TOLERANCE_SEC = 0.5;

/**
 * recordingProcess: check the raw WAV FreeSWITCH wrote, encode it to MP3 in a scratch file beside it
 * (`<recordingId>.mp3.<uuid>.part`: a worker killed mid-encode leaves it where the reconcile sweep removes it), the same
 * ffmpeg run measuring the audio it decoded (truncated: shorter than the header says), store it (local directory or S3) and prove the stored copy by HEAD (size
 * and SHA-256), mark the row READY with its storage key (linked to its CDR), and only then delete the raw
 * file. A bad input (missing, empty, header only, truncated, not audio) is FAILED with the reason and the job
 * completes; anything else (encoder, storage or database trouble) throws, the raw file stays, and BullMQ
 * retries the job. Re-running a finished job only removes a raw file left behind by a crash after READY.
 */
export function recordingProcessor(deps: {
  ctx: PlatformContext;
  storage: ObjectStorage;
  recordingsDir: string;
}) {
  return async (job: Job): Promise<RecordingResult> => {
    const payload = jobs.recordingProcess.payload.parse(job.data);
    const key = { tenantId: payload.tenantId, callUuid: payload.callUuid, sourcePath: payload.filePath };
    const row = await findRecordingToProcess(deps.ctx, key);
    if (!row) return { outcome: 'skipped', reason: 'no such recording' };
    if (row.state === 'READY') {
      if (row.sourcePath === payload.filePath && row.filePath !== payload.filePath)
        await rm(payload.filePath, { force: true });
      return { outcome: 'skipped', reason: 'already ready' };
    }
    if (row.state === 'FAILED' || row.state === 'DELETED')
      return { outcome: 'skipped', reason: `already ${row.state.toLowerCase()}` };

    // The path came through Redis from an event: it must lie in the tenant's own recordings directory.
    const tenantDir = resolve(deps.recordingsDir, payload.tenantId) + sep;
    const raw = resolve(payload.filePath);
    const fail = async (reason: string): Promise<RecordingResult> => {
      await markRecordingFailed(deps.ctx, { tenantId: payload.tenantId, recordingId: row.id, error: reason });
      return { outcome: 'failed', reason };
    };
    if (!raw.startsWith(tenantDir)) return fail('the file is outside the tenant recordings directory');

    const storeKey = storageKeys.recording(payload.tenantId, row.id, 'mp3');
    const scratch = join(tenantDir, `${row.id}.mp3.${randomUUID()}.part`);
    try {
      const info = await stat(raw).catch(() => null);
      if (!info?.isFile()) throw new BadAudioError('the recording file is missing');
      if (info.size === 0) throw new BadAudioError('the recording file is empty');
      // The header's announced length (soxi reads only the header; a file that is no WAV fails here, as bad input).
      const declared = await headerDuration(raw);
      // One ffmpeg run encodes and measures what it decoded. It fails only on a file the header check accepted
      // (PCM data cannot be undecodable): our trouble, not the file's, so it throws and the job retries.
      const actual = await encodeMp3(raw, scratch);
      if (actual <= 0) throw new BadAudioError('the recording holds no audio');
      if (declared - actual > TRUNCATION_TOLERANCE_SEC)
        throw new BadAudioError(
          `the recording is truncated: the header announces ${declared.toFixed(1)} s, the file holds ${actual.toFixed(1)} s`,
        );
      // Throws (StorageVerifyError or the backend's error) unless HEAD proves the stored copy: the job retries.
      const stored = await storeVerified(deps.storage, storeKey, scratch, CONTENT_TYPES.mp3 ?? 'audio/mpeg');
      const durationSec = Math.round(actual);
      const ready = await markRecordingReady(deps.ctx, {
        ...key,
        recordingId: row.id,
        filePath: storeKey,
        format: 'mp3',
        durationSec,
        sizeBytes: stored.sizeBytes,
      });
      if (!ready) return { outcome: 'skipped', reason: 'the recording changed meanwhile' };
      // Only now, with the verified copy on record, does the raw file go.
      await rm(raw, { force: true });
      return { outcome: 'ready', recordingId: row.id, durationSec, sizeBytes: stored.sizeBytes };
    } catch (error) {
      if (error instanceof BadAudioError) return fail(error.message);
      throw error;
    } finally {
      await rm(scratch, { force: true });
    }
  };
}
