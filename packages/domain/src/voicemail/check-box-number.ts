import type { Tx } from '../context.js';
import { AppError } from '../errors.js';

export async function checkBoxNumber(
  tx: Tx,
  tenantId: string,
  number: string | undefined,
  exceptId?: string,
): Promise<void> {
  if (number === undefined) return;
  const not = exceptId ? { NOT: { id: exceptId } } : {};
  if (await tx.voicemailBox.count({ where: { tenantId, number, ...not } })) {
    throw new AppError('CONFLICT', `mailbox number ${number} is already used in this tenant`, {
      field: 'number',
    });
  }
}
