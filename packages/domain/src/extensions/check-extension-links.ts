import type { Destination, UpdateExtension } from '@pbx/contracts';
import type { Tx } from '../context.js';
import { AppError } from '../errors.js';
import { assertDestinations } from '../destinations/assert-destination.js';

export async function checkExtensionLinks(
  tx: Tx,
  tenantId: string,
  input: UpdateExtension,
  selfId?: string,
): Promise<void> {
  if (
    input.voicemailBoxId &&
    !(await tx.voicemailBox.count({ where: { id: input.voicemailBoxId, tenantId } }))
  ) {
    throw new AppError('VALIDATION_FAILED', 'no voicemail box with this id in this tenant', {
      field: 'voicemailBoxId',
    });
  }
  const forwards: Array<[string, Destination | null | undefined]> = [
    ['forwardAlways', input.forwardAlways],
    ['forwardBusy', input.forwardBusy],
    ['forwardNoAnswer', input.forwardNoAnswer],
  ];
  for (const [field, d] of forwards) {
    if (d?.type === 'EXTENSION' && d.value === selfId) {
      throw new AppError('VALIDATION_FAILED', 'an extension cannot forward to itself', {
        field: `${field}.value`,
      });
    }
  }
  await assertDestinations(tx, tenantId, forwards);
}
