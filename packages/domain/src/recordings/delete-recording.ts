import { rm } from 'node:fs/promises';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';

/**
 * Marks the recording DELETED (the row stays for the call history, like the
 * retention sweep does) and removes the file after commit.
 */
export async function deleteRecording(ctx: TenantContext, recordingId: string): Promise<void> {
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
  await rm(before.filePath, { force: true }).catch(() => undefined);
}
