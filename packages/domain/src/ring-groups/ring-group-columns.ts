import type { UpdateRingGroup } from '@pbx/contracts';
import { destinationColumns } from '../destinations/columns.js';
import { compact } from '../shared/compact.js';

export function ringGroupColumns(input: UpdateRingGroup) {
  const { fallback, members: _members, ...plain } = input;
  const dest = fallback ? destinationColumns(fallback) : undefined;
  return {
    ...compact(plain),
    ...(dest ? { fallbackDestType: dest.type, fallbackDestValue: dest.value } : {}),
  };
}

export function memberRows(
  tenantId: string,
  ringGroupId: string,
  members: NonNullable<UpdateRingGroup['members']>,
) {
  return members.map((m, position) => ({
    tenantId,
    ringGroupId,
    extensionId: m.extensionId,
    position,
    timeoutSec: m.timeoutSec ?? null,
  }));
}
