import type { UpdateVoicemailBox } from '@pbx/contracts';
import { destinationColumns } from '../destinations/columns.js';
import { compact } from '../shared/compact.js';

/** The box's columns from a create/update body (the PIN is hashed by the caller): `fallback` is two columns. */
export function boxColumns(input: Omit<UpdateVoicemailBox, 'pin'>) {
  const { fallback, ...plain } = input;
  const dest = fallback ? destinationColumns(fallback) : undefined;
  return {
    ...compact(plain),
    ...(dest ? { fallbackDestType: dest.type, fallbackDestValue: dest.value } : {}),
  };
}
