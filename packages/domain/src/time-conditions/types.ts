import type { Prisma, TimeCondition, TimeConditionHoliday, TimeConditionRange } from '@pbx/db';

export type TimeConditionFull = TimeCondition & {
  ranges: TimeConditionRange[];
  holidays: TimeConditionHoliday[];
};
export const withSchedule = {
  ranges: { orderBy: [{ dayOfWeek: 'asc' }, { startMinute: 'asc' }] },
  holidays: { orderBy: { date: 'asc' } },
} satisfies Prisma.TimeConditionInclude;
