import type { UpdateRingGroup } from '@pbx/contracts';
import type { Tx } from '../context.js';
import { AppError } from '../errors.js';
import { assertDestinations } from '../destinations/assert-destination.js';
import { assertNumberFree } from '../shared/assert-number-free.js';

export async function checkRingGroup(
  tx: Tx,
  tenantId: string,
  input: UpdateRingGroup,
  selfId?: string,
): Promise<void> {
  if (input.name !== undefined) {
    const not = selfId ? { NOT: { id: selfId } } : {};
    if (await tx.ringGroup.count({ where: { tenantId, name: input.name, ...not } })) {
      throw new AppError('CONFLICT', `a ring group named ${input.name} exists`, { field: 'name' });
    }
  }
  if (input.number) await assertNumberFree(tx, tenantId, input.number, selfId);
  // A group falling back to itself would ring forever.
  if (selfId && input.fallback?.type === 'RING_GROUP' && input.fallback.value === selfId) {
    throw new AppError('VALIDATION_FAILED', 'a ring group cannot fall back to itself', {
      field: 'fallback.value',
    });
  }
  await assertDestinations(tx, tenantId, [['fallback', input.fallback]]);
  const seen = new Set<string>();
  for (const [i, m] of (input.members ?? []).entries()) {
    if (seen.has(m.extensionId)) {
      throw new AppError('VALIDATION_FAILED', 'an extension is listed twice', {
        field: `members.${i}.extensionId`,
      });
    }
    seen.add(m.extensionId);
    if (!(await tx.extension.count({ where: { id: m.extensionId, tenantId } }))) {
      throw new AppError('VALIDATION_FAILED', `no extension with id ${m.extensionId} in this tenant`, {
        field: `members.${i}.extensionId`,
      });
    }
  }
}
