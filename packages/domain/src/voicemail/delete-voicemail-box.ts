import { rm } from 'node:fs/promises';
import type { Destination } from '@pbx/contracts';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { guardDelete } from '../destinations/guard-delete.js';
import { runWrite } from '../shared/run-write.js';

/** Deletes the box with its messages (rows by cascade, audio files best effort after commit). */
export async function deleteVoicemailBox(
  ctx: TenantContext,
  boxId: string,
  reroute?: Destination,
): Promise<void> {
  const files = await runWrite(ctx, async (tx, record) => {
    const before = await tx.voicemailBox.findFirst({ where: { id: boxId, tenantId: ctx.tenantId } });
    if (!before) throw notFound('voicemail box');
    const rerouted = await guardDelete(tx, ctx.tenantId, { type: 'VOICEMAIL', id: boxId }, reroute);
    const messages = await tx.voicemailMessage.findMany({
      where: { boxId, tenantId: ctx.tenantId },
      select: { filePath: true },
    });
    await tx.voicemailBox.delete({ where: { id: boxId } });
    await record({
      action: 'voicemail-box.delete',
      entityType: 'voicemail-box',
      entityId: boxId,
      before,
      after: rerouted.length ? { rerouted, to: reroute } : null,
    });
    return messages.map((m) => m.filePath);
  });
  await Promise.all(files.map((f) => rm(f, { force: true }).catch(() => undefined)));
}
