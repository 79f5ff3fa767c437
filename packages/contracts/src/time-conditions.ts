import { z } from 'zod';
import { DestinationSchema, Name, PageQuery, Text, Timestamp, Uuid, pageOf } from './common.js';

/** Open hours on one weekday in the tenant's time zone: [startMinute, endMinute), 0 = Sunday. */
export const WeeklyRangeSchema = z
  .strictObject({
    dayOfWeek: z.number().int().min(0).max(6),
    startMinute: z.number().int().min(0).max(1439),
    endMinute: z.number().int().min(1).max(1440),
  })
  .refine((r) => r.startMinute < r.endMinute, {
    message: 'startMinute must be before endMinute',
    path: ['endMinute'],
  });

/** A whole local day on which the condition never matches. */
export const HolidaySchema = z.strictObject({
  date: z.iso.date(),
  name: z.string(),
});
/** A holiday as sent: its name is checked like every other name (but may be empty). */
export const HolidayBody = HolidaySchema.extend({ name: Text(80) });

export const TimeConditionSchema = z.object({
  id: Uuid,
  tenantId: Uuid,
  name: z.string(),
  /** Where calls go inside the open hours (and not on a holiday). */
  match: DestinationSchema,
  noMatch: DestinationSchema,
  /** Sorted by day and start. */
  ranges: z.array(WeeklyRangeSchema),
  /** Sorted by date. */
  holidays: z.array(HolidaySchema),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TimeCondition = z.infer<typeof TimeConditionSchema>;

export const CreateTimeConditionBody = z.strictObject({
  name: Name(80),
  match: DestinationSchema,
  noMatch: DestinationSchema,
  /** Replace the whole list when sent in a PATCH. */
  ranges: z.array(WeeklyRangeSchema).max(100),
  holidays: z.array(HolidayBody).max(400).optional(),
});
export type CreateTimeCondition = z.infer<typeof CreateTimeConditionBody>;
export const UpdateTimeConditionBody = CreateTimeConditionBody.partial();
export type UpdateTimeCondition = z.infer<typeof UpdateTimeConditionBody>;

export const ListTimeConditionsQuery = PageQuery.extend({ search: z.string().max(80).optional() });
export const TimeConditionPage = pageOf(TimeConditionSchema);
