import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';

export async function deleteInboundNumber(ctx: TenantContext, numberId: string): Promise<void> {
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.inboundNumber.findFirst({ where: { id: numberId, tenantId: ctx.tenantId } });
    if (!before) throw notFound('inbound number');
    await tx.inboundNumber.delete({ where: { id: numberId } });
    await record({
      action: 'inbound-number.delete',
      entityType: 'inbound-number',
      entityId: numberId,
      before,
    });
  });
}
