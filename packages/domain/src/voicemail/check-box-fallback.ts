import type { Destination } from '@pbx/contracts';
import type { Tx } from '../context.js';
import { assertDestination } from '../destinations/assert-destination.js';
import { AppError } from '../errors.js';

/** A full box's fallback must exist in the tenant and must not be the box itself (it would send callers back). */
export async function checkBoxFallback(
  tx: Tx,
  tenantId: string,
  fallback: Destination | undefined,
  selfId?: string,
): Promise<void> {
  if (!fallback) return;
  if (selfId && fallback.type === 'VOICEMAIL' && fallback.value === selfId) {
    throw new AppError('VALIDATION_FAILED', 'a voicemail box cannot fall back to itself', {
      field: 'fallback.value',
    });
  }
  await assertDestination(tx, tenantId, fallback, 'fallback');
}
