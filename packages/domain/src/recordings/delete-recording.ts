import type { ObjectStorage } from '@pbx/storage';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';
import { removeRecordingFiles } from './recording-files.js';

/**
 * Marks the recording DELETED (the row stays for the call history, like the
 * retention sweep does) and removes its audio after commit: the stored copy and any raw file.
 */
export async function deleteRecording(
  ctx: TenantContext,
  storage: ObjectStorage,
  recordingId: string,
): Promise<void> {
  const before = await runWrite(ctx, async (tx, record) => {
    const row = await tx.callRecording.findFirst({
      where: { id: recordingId, tenantId: ctx.tenantId, state: { not: 'DELETED' } },
    });
    if (!row) throw notFound('recording');
    const after = await tx.callRecording.update({ where: { id: recordingId }, data: { state: 'DELETED' } });
    await record({
      action: 'recording.delete',
      entityType: 'recording',
      entityId: recordingId,
      before: row,
      after,
      notify: false,
    });
    return row;
  });
  // The row is already DELETED: a file that cannot be removed now is left for the tenant purge, not an error.
  await removeRecordingFiles(storage, before).catch(() => undefined);
}
