import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  AudioToolError,
  checkUpload,
  convertToStoredFormat,
  speakToFile,
  storedDurationSec,
  tempPathFor,
  type MediaLayout,
} from '@pbx/media';
import type { ObjectStorage } from '@pbx/storage';
import type { TenantContext } from '../context.js';
import { AppError } from '../errors.js';
import { publishGreeting } from './publish-greeting.js';
import { greetingPath, loadGreetingOwner, type GreetingTarget } from './target.js';

/** An uploaded file (already on disk, size-limited by the transport) or text to speak. */
export type GreetingSource = { file: string } | { text: string };
export type GreetingLimits = { maxSeconds: number };
export type StoredGreeting = { updatedAt: Date; durationSec: number; sizeBytes: number };

function toolFailure(error: unknown, field: string): never {
  if (error instanceof AudioToolError && error.missing) throw new AppError('UNAVAILABLE', error.message);
  if (error instanceof AudioToolError && field === 'file')
    throw new AppError('VALIDATION_FAILED', `the file could not be decoded as audio (${error.message})`, {
      field,
    });
  throw error;
}

/** Turns the source into the stored format at `temp`; refuses what is not WAV/MP3/OGG audio. */
async function produce(source: GreetingSource, temp: string, limits: GreetingLimits): Promise<void> {
  if ('text' in source) {
    await speakToFile(source.text, temp).catch((e: unknown) => toolFailure(e, 'text'));
    return;
  }
  const check = await checkUpload(source.file).catch((e: unknown) => toolFailure(e, 'file'));
  if (!check.ok && check.reason === 'unsupported')
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `expected WAV, MP3 or OGG audio${check.container ? `, got ${check.container}` : ''}`,
      { field: 'file' },
    );
  if (!check.ok)
    throw new AppError('VALIDATION_FAILED', `the file is not readable audio (${check.detail})`, {
      field: 'file',
    });
  if (check.info.durationSec > limits.maxSeconds)
    throw new AppError(
      'VALIDATION_FAILED',
      `the greeting lasts ${Math.round(check.info.durationSec)} s; at most ${limits.maxSeconds} s`,
      { field: 'file' },
    );
  await convertToStoredFormat(source.file, temp, limits.maxSeconds).catch((e: unknown) =>
    toolFailure(e, 'file'),
  );
}

/**
 * Stores a greeting: converts (or speaks) it into a temporary file next to its place, stores the durable copy
 * in the storage (verified by HEAD; a failed upload changes nothing), then in one audited write marks it stored
 * and renames it into place on the media volume, so FreeSWITCH on any node reads the old greeting or the new
 * one, never half a file, and a failed write leaves the old greeting on the volume as it was.
 */
export async function storeGreeting(
  ctx: TenantContext,
  layout: MediaLayout,
  storage: ObjectStorage,
  target: GreetingTarget,
  source: GreetingSource,
  limits: GreetingLimits,
): Promise<StoredGreeting> {
  // Refuse an unknown (or other tenant's) owner before any conversion work.
  await loadGreetingOwner(ctx.db, ctx, target);
  const path = greetingPath(layout, ctx.tenantId, target);
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  try {
    await produce(source, temp, limits);
    // Counted from the PCM size rather than by another ffprobe run (one process less per greeting).
    const file = await stat(temp);
    const durationSec = storedDurationSec(file.size);
    if (durationSec <= 0)
      throw new AppError('VALIDATION_FAILED', 'the greeting has no audio', {
        field: 'text' in source ? 'text' : 'file',
      });
    const updatedAt = await publishGreeting(
      ctx,
      layout,
      storage,
      target,
      temp,
      { source: 'text' in source ? 'text' : 'upload', durationSec },
      (tx) => loadGreetingOwner(tx, ctx, target),
    );
    return { updatedAt, durationSec, sizeBytes: file.size };
  } finally {
    await rm(temp, { force: true });
  }
}
