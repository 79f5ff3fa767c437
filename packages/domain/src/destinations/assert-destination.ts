import type { Destination } from '@pbx/contracts';
import type { Tx } from '../context.js';
import { AppError } from '../errors.js';

const LABEL = {
  EXTENSION: 'extension',
  VOICEMAIL: 'voicemail box',
  IVR_MENU: 'IVR menu',
  RING_GROUP: 'ring group',
  TIME_CONDITION: 'time condition',
} as const;

/**
 * A destination must exist in the SAME tenant: a route pointing at nothing (or
 * at another tenant's object) would drop or leak calls. EXTERNAL and HANGUP
 * are already validated by shape (E.164 / no value).
 */
export async function assertDestination(
  tx: Tx,
  tenantId: string,
  dest: Destination,
  field: string,
): Promise<void> {
  if (dest.type === 'EXTERNAL' || dest.type === 'HANGUP') return;
  const where = { id: dest.value, tenantId };
  const found =
    dest.type === 'EXTENSION'
      ? await tx.extension.count({ where })
      : dest.type === 'VOICEMAIL'
        ? await tx.voicemailBox.count({ where })
        : dest.type === 'IVR_MENU'
          ? await tx.ivrMenu.count({ where })
          : dest.type === 'RING_GROUP'
            ? await tx.ringGroup.count({ where })
            : await tx.timeCondition.count({ where });
  if (found === 0) {
    throw new AppError('VALIDATION_FAILED', `no ${LABEL[dest.type]} with id ${dest.value} in this tenant`, {
      field: `${field}.value`,
    });
  }
}

/** Checks several optional destinations, naming each field. */
export async function assertDestinations(
  tx: Tx,
  tenantId: string,
  entries: Array<[field: string, dest: Destination | null | undefined]>,
): Promise<void> {
  for (const [field, dest] of entries) if (dest) await assertDestination(tx, tenantId, dest, field);
}
