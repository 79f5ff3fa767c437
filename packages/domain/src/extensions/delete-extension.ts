import type { Destination } from '@pbx/contracts';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { guardDelete } from '../destinations/guard-delete.js';
import { runWrite } from '../shared/run-write.js';

export async function deleteExtension(
  ctx: TenantContext,
  extensionId: string,
  reroute?: Destination,
): Promise<void> {
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.extension.findFirst({ where: { id: extensionId, tenantId: ctx.tenantId } });
    if (!before) throw notFound('extension');
    const rerouted = await guardDelete(tx, ctx.tenantId, { type: 'EXTENSION', id: extensionId }, reroute);
    await tx.extension.delete({ where: { id: extensionId } });
    await record({
      action: 'extension.delete',
      entityType: 'extension',
      entityId: extensionId,
      before,
      after: rerouted.length ? { rerouted, to: reroute } : null,
    });
  });
}
