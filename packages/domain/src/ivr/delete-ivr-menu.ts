import type { Destination } from '@pbx/contracts';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { guardDelete } from '../destinations/guard-delete.js';
import { runWrite } from '../shared/run-write.js';
import { withOptions } from './types.js';

export async function deleteIvrMenu(
  ctx: TenantContext,
  menuId: string,
  reroute?: Destination,
): Promise<void> {
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.ivrMenu.findFirst({
      where: { id: menuId, tenantId: ctx.tenantId },
      include: withOptions,
    });
    if (!before) throw notFound('IVR menu');
    const rerouted = await guardDelete(tx, ctx.tenantId, { type: 'IVR_MENU', id: menuId }, reroute);
    await tx.ivrMenu.delete({ where: { id: menuId } });
    await record({
      action: 'ivr-menu.delete',
      entityType: 'ivr-menu',
      entityId: menuId,
      before,
      after: rerouted.length ? { rerouted, to: reroute } : null,
    });
  });
}
