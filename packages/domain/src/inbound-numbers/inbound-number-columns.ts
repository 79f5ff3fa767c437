import type { UpdateInboundNumber } from '@pbx/contracts';
import { destinationColumns } from '../destinations/columns.js';
import { compact } from '../shared/compact.js';

export function inboundNumberColumns(input: UpdateInboundNumber) {
  const { destination, ...plain } = input;
  const dest = destination ? destinationColumns(destination) : undefined;
  return { ...compact(plain), ...(dest ? { destType: dest.type, destValue: dest.value } : {}) };
}
