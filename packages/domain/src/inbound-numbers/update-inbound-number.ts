import type { UpdateInboundNumber } from '@pbx/contracts';
import type { InboundNumber } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { assertDestinations } from '../destinations/assert-destination.js';
import { runWrite } from '../shared/run-write.js';
import { assertVersion } from '../shared/version.js';
import { inboundNumberColumns } from './inbound-number-columns.js';

export async function updateInboundNumber(
  ctx: TenantContext,
  numberId: string,
  input: UpdateInboundNumber,
  ifMatch?: string,
): Promise<InboundNumber> {
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.inboundNumber.findFirst({ where: { id: numberId, tenantId: ctx.tenantId } });
    if (!before) throw notFound('inbound number');
    assertVersion(before, ifMatch);
    await assertDestinations(tx, ctx.tenantId, [['destination', input.destination]]);
    const after = await tx.inboundNumber.update({
      where: { id: numberId },
      data: inboundNumberColumns(input),
    });
    await record({
      action: 'inbound-number.update',
      entityType: 'inbound-number',
      entityId: numberId,
      before,
      after,
    });
    return after;
  });
}
