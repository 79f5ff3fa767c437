import type { CreateInboundNumber } from '@pbx/contracts';
import type { InboundNumber } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { AppError } from '../errors.js';
import { assertDestination } from '../destinations/assert-destination.js';
import { destinationColumns } from '../destinations/columns.js';
import { runWrite } from '../shared/run-write.js';
import { inboundNumberColumns } from './inbound-number-columns.js';

export async function createInboundNumber(
  ctx: TenantContext,
  input: CreateInboundNumber,
): Promise<InboundNumber> {
  return runWrite(ctx, async (tx, record) => {
    if (await tx.inboundNumber.count({ where: { e164: input.e164 } })) {
      throw new AppError('CONFLICT', `${input.e164} is already assigned`, { field: 'e164' });
    }
    await assertDestination(tx, ctx.tenantId, input.destination, 'destination');
    const { type, value } = destinationColumns(input.destination);
    const row = await tx.inboundNumber.create({
      data: {
        ...inboundNumberColumns(input),
        e164: input.e164,
        tenantId: ctx.tenantId,
        destType: type,
        destValue: value,
      },
    });
    await record({
      action: 'inbound-number.create',
      entityType: 'inbound-number',
      entityId: row.id,
      after: row,
    });
    return row;
  });
}
