import { z } from 'zod';
import { DestinationSchema, DialNumber, Name, PageQuery, Timestamp, Uuid, pageOf } from './common.js';

export const RingStrategySchema = z.enum(['SIMULTANEOUS', 'SEQUENTIAL']);

export const RingGroupMemberSchema = z.strictObject({
  extensionId: Uuid,
  /** SEQUENTIAL only: this member's ring time; null = the group's ringTimeoutSec. */
  timeoutSec: z.number().int().min(5).max(300).nullable(),
});

export const RingGroupSchema = z.object({
  id: Uuid,
  tenantId: Uuid,
  name: z.string(),
  number: z.string().nullable(),
  strategy: RingStrategySchema,
  ringTimeoutSec: z.number().int(),
  fallback: DestinationSchema,
  /** In ringing order. */
  members: z.array(RingGroupMemberSchema),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type RingGroup = z.infer<typeof RingGroupSchema>;

export const CreateRingGroupBody = z.strictObject({
  name: Name(80),
  number: DialNumber.nullable().optional(),
  strategy: RingStrategySchema.optional(),
  ringTimeoutSec: z.number().int().min(5).max(300).optional(),
  fallback: DestinationSchema,
  /** In ringing order; replaces the whole list when sent in a PATCH. */
  members: z.array(RingGroupMemberSchema).max(100).optional(),
});
export type CreateRingGroup = z.infer<typeof CreateRingGroupBody>;
export const UpdateRingGroupBody = CreateRingGroupBody.partial();
export type UpdateRingGroup = z.infer<typeof UpdateRingGroupBody>;

export const ListRingGroupsQuery = PageQuery.extend({ search: z.string().max(80).optional() });
export const RingGroupPage = pageOf(RingGroupSchema);
