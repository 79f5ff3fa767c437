import type { Destination } from '@pbx/contracts';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { guardDelete } from '../destinations/guard-delete.js';
import { runWrite } from '../shared/run-write.js';

export async function deleteVoicemailBox(
  ctx: TenantContext,
  boxId: string,
  reroute?: Destination,
): Promise<void> {
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.voicemailBox.findFirst({ where: { id: boxId, tenantId: ctx.tenantId } });
    if (!before) throw notFound('voicemail box');
    const rerouted = await guardDelete(tx, ctx.tenantId, { type: 'VOICEMAIL', id: boxId }, reroute);
    await tx.voicemailBox.delete({ where: { id: boxId } });
    await record({
      action: 'voicemail-box.delete',
      entityType: 'voicemail-box',
      entityId: boxId,
      before,
      after: rerouted.length ? { rerouted, to: reroute } : null,
    });
  });
}
