import type { UpdateTimeCondition } from '@pbx/contracts';
import type { Tx } from '../context.js';
import { AppError } from '../errors.js';
import { assertDestinations } from '../destinations/assert-destination.js';

export async function checkTimeCondition(
  tx: Tx,
  tenantId: string,
  input: UpdateTimeCondition,
  selfId?: string,
): Promise<void> {
  if (input.name !== undefined) {
    const not = selfId ? { NOT: { id: selfId } } : {};
    if (await tx.timeCondition.count({ where: { tenantId, name: input.name, ...not } })) {
      throw new AppError('CONFLICT', `a time condition named ${input.name} exists`, { field: 'name' });
    }
  }
  // Pointing at itself would loop without ever reaching a person.
  for (const field of ['match', 'noMatch'] as const) {
    const d = input[field];
    if (selfId && d?.type === 'TIME_CONDITION' && d.value === selfId) {
      throw new AppError('VALIDATION_FAILED', 'a time condition cannot route to itself', {
        field: `${field}.value`,
      });
    }
  }
  const dates = new Set<string>();
  input.holidays?.forEach((h, i) => {
    if (dates.has(h.date))
      throw new AppError('VALIDATION_FAILED', `holiday ${h.date} is listed twice`, {
        field: `holidays.${i}.date`,
      });
    dates.add(h.date);
  });
  await assertDestinations(tx, tenantId, [
    ['match', input.match],
    ['noMatch', input.noMatch],
  ]);
}
