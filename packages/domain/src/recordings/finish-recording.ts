import type { CallRecording } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { runWrite } from '../shared/run-write.js';

type Key = { tenantId: string; callUuid: string; sourcePath: string };

/** The recording a recordingProcess job is about: by the file FreeSWITCH wrote, before or after it was stored. */
export async function findRecordingToProcess(ctx: PlatformContext, key: Key): Promise<CallRecording | null> {
  return ctx.db.callRecording.findFirst({
    where: {
      tenantId: key.tenantId,
      callUuid: key.callUuid,
      OR: [{ filePath: key.sourcePath }, { sourcePath: key.sourcePath }],
    },
  });
}

/**
 * The converted copy is stored and verified: READY with its path, format, duration and size, linked to its
 * call's CDR (if the CDR came first it is linked here; the CDR path links it otherwise). Audited. Only a
 * PROCESSING (or stuck RECORDING) row moves; returns null when there was nothing to move.
 */
export async function markRecordingReady(
  ctx: PlatformContext,
  input: Key & {
    recordingId: string;
    filePath: string;
    format: string;
    durationSec: number;
    sizeBytes: number;
  },
): Promise<CallRecording | null> {
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.callRecording.findFirst({
      where: { id: input.recordingId, tenantId: input.tenantId, state: { in: ['PROCESSING', 'RECORDING'] } },
    });
    if (!before) return null;
    const after = await tx.callRecording.update({
      where: { id: before.id },
      data: {
        state: 'READY',
        error: null,
        filePath: input.filePath,
        sourcePath: input.sourcePath,
        format: input.format,
        durationSec: input.durationSec,
        sizeBytes: input.sizeBytes,
      },
    });
    await tx.cdr.updateMany({
      where: { tenantId: input.tenantId, callUuid: input.callUuid, recordingId: null },
      data: { recordingId: before.id },
    });
    await record({
      action: 'recording.ready',
      entityType: 'recording',
      entityId: before.id,
      tenantId: input.tenantId,
      before,
      after,
      notify: false,
    });
    return after;
  });
}

/** The raw file is empty, truncated or unreadable: FAILED with the reason (the file is kept for inspection). */
export async function markRecordingFailed(
  ctx: PlatformContext,
  input: { tenantId: string; recordingId: string; error: string },
): Promise<void> {
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.callRecording.findFirst({
      where: { id: input.recordingId, tenantId: input.tenantId, state: { in: ['PROCESSING', 'RECORDING'] } },
    });
    if (!before) return;
    const after = await tx.callRecording.update({
      where: { id: before.id },
      data: { state: 'FAILED', error: input.error.slice(0, 500) },
    });
    await record({
      action: 'recording.failed',
      entityType: 'recording',
      entityId: before.id,
      tenantId: input.tenantId,
      before,
      after,
      notify: false,
    });
  });
}
