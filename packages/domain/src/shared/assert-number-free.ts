import type { Tx } from '../context.js';
import { AppError } from '../errors.js';
import { assertNotEmergencyNumber } from './emergency-reserved.js';

/**
 * Extensions, IVR menus and ring groups share one internal dial plan per
 * tenant, so a number may be used by one of them only (mailboxes have their own), and never an emergency number.
 */
export async function assertNumberFree(
  tx: Tx,
  tenantId: string,
  number: string,
  exceptId?: string,
): Promise<void> {
  await assertNotEmergencyNumber(tx, tenantId, number);
  const not = exceptId ? { NOT: { id: exceptId } } : {};
  const taken =
    (await tx.extension.count({ where: { tenantId, number, ...not } })) +
    (await tx.ivrMenu.count({ where: { tenantId, number, ...not } })) +
    (await tx.ringGroup.count({ where: { tenantId, number, ...not } }));
  if (taken > 0)
    throw new AppError('CONFLICT', `number ${number} is already used in this tenant`, { field: 'number' });
}
