import type { UpdateIvrMenu } from '@pbx/contracts';
import type { Prisma } from '@pbx/db';
import { destinationColumns } from '../destinations/columns.js';
import { compact } from '../shared/compact.js';

export function ivrMenuColumns(input: UpdateIvrMenu): Prisma.IvrMenuUncheckedUpdateInput {
  const { timeoutDestination, invalidDestination, options: _options, ...plain } = input;
  const timeout = timeoutDestination ? destinationColumns(timeoutDestination) : undefined;
  const invalid = invalidDestination ? destinationColumns(invalidDestination) : undefined;
  return compact({
    ...plain,
    timeoutDestType: timeout?.type,
    timeoutDestValue: timeout ? timeout.value : undefined,
    invalidDestType: invalid?.type,
    invalidDestValue: invalid ? invalid.value : undefined,
  });
}

export function ivrOptionRows(
  tenantId: string,
  menuId: string,
  options: NonNullable<UpdateIvrMenu['options']>,
) {
  return options.map((o) => {
    const { type, value } = destinationColumns(o.destination);
    return { tenantId, menuId, digits: o.digits, destType: type, destValue: value };
  });
}
