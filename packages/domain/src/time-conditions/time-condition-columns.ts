import type { UpdateTimeCondition } from '@pbx/contracts';
import type { Tx } from '../context.js';
import { destinationColumns } from '../destinations/columns.js';
import { compact } from '../shared/compact.js';

export function timeConditionColumns(input: UpdateTimeCondition) {
  const { match, noMatch, ranges: _r, holidays: _h, ...plain } = input;
  const m = match ? destinationColumns(match) : undefined;
  const n = noMatch ? destinationColumns(noMatch) : undefined;
  return {
    ...compact(plain),
    ...(m ? { matchDestType: m.type, matchDestValue: m.value } : {}),
    ...(n ? { noMatchDestType: n.type, noMatchDestValue: n.value } : {}),
  };
}

/** Replaces ranges and/or holidays when they were sent. */
export async function writeSchedule(
  tx: Tx,
  timeConditionId: string,
  input: UpdateTimeCondition,
): Promise<void> {
  if (input.ranges) {
    await tx.timeConditionRange.deleteMany({ where: { timeConditionId } });
    await tx.timeConditionRange.createMany({ data: input.ranges.map((r) => ({ ...r, timeConditionId })) });
  }
  if (input.holidays) {
    await tx.timeConditionHoliday.deleteMany({ where: { timeConditionId } });
    await tx.timeConditionHoliday.createMany({
      data: input.holidays.map((h) => ({
        timeConditionId,
        name: h.name,
        date: new Date(`${h.date}T00:00:00.000Z`),
      })),
    });
  }
}
