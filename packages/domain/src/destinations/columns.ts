import type { Destination, DestinationType } from '@pbx/contracts';
import type { StoredDestination } from '../routing/snapshot.js';

/** The schema stores a destination as a (type, value) column pair; the API shows one checked object. */
export function toDestination(type: DestinationType, value: string | null): Destination {
  if (type === 'HANGUP') return { type };
  return { type, value: value ?? '' };
}

export function toOptionalDestination(
  type: DestinationType | null,
  value: string | null,
): Destination | null {
  return type === null ? null : toDestination(type, value);
}

export function destinationColumns(d: Destination): StoredDestination {
  return d.type === 'HANGUP' ? { type: d.type, value: null } : { type: d.type, value: d.value };
}
