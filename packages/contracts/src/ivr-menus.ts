import { z } from 'zod';
import { DestinationSchema, DialNumber, Name, PageQuery, Timestamp, Uuid, pageOf } from './common.js';
import { StoredGreetingSchema } from './greetings.js';

export const IvrOptionSchema = z.strictObject({
  /** 1 to 4 keys from 0-9 * #. */
  digits: z.string().regex(/^[0-9*#]{1,4}$/, 'expected 1 to 4 of 0-9 * #'),
  destination: DestinationSchema,
});

export const IvrMenuSchema = z.object({
  id: Uuid,
  tenantId: Uuid,
  name: z.string(),
  number: z.string().nullable(),
  /** The uploaded or typed greeting (PUT /ivr-menus/{menuId}/greeting); null: the spoken default plays. */
  greeting: StoredGreetingSchema.nullable(),
  timeoutSec: z.number().int(),
  interDigitTimeoutMs: z.number().int(),
  maxFailures: z.number().int(),
  directDial: z.boolean(),
  timeoutDestination: DestinationSchema,
  invalidDestination: DestinationSchema,
  /** Sorted by digits. */
  options: z.array(IvrOptionSchema),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type IvrMenu = z.infer<typeof IvrMenuSchema>;

export const CreateIvrMenuBody = z.strictObject({
  name: Name(80),
  number: DialNumber.nullable().optional(),
  timeoutSec: z.number().int().min(1).max(60).optional(),
  interDigitTimeoutMs: z.number().int().min(100).max(10_000).optional(),
  maxFailures: z.number().int().min(1).max(10).optional(),
  directDial: z.boolean().optional(),
  /** Required: a menu nobody answers must still lead somewhere. */
  timeoutDestination: DestinationSchema,
  invalidDestination: DestinationSchema,
  /** Replaces the whole set of options when sent in a PATCH. */
  options: z.array(IvrOptionSchema).max(40).optional(),
});
export type CreateIvrMenu = z.infer<typeof CreateIvrMenuBody>;
export const UpdateIvrMenuBody = CreateIvrMenuBody.partial();
export type UpdateIvrMenu = z.infer<typeof UpdateIvrMenuBody>;

export const ListIvrMenusQuery = PageQuery.extend({ search: z.string().max(80).optional() });
export const IvrMenuPage = pageOf(IvrMenuSchema);
