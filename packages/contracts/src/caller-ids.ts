import { z } from 'zod';
import { E164, PageQuery, Text, Timestamp, Uuid, pageOf } from './common.js';

/**
 * A number a platform admin verified the tenant may present as outbound caller ID, besides its own inbound
 * numbers. An extension's caller ID must be one of the two.
 */
export const VerifiedCallerIdSchema = z.object({
  id: Uuid,
  tenantId: Uuid,
  e164: z.string(),
  note: z.string(),
  createdAt: Timestamp,
});
export type VerifiedCallerId = z.infer<typeof VerifiedCallerIdSchema>;

export const CreateVerifiedCallerIdBody = z.strictObject({
  e164: E164,
  /** How it was verified, for the next admin (e.g. "carrier LOA 2026-11-02"). */
  note: Text(200).optional(),
});
export type CreateVerifiedCallerId = z.infer<typeof CreateVerifiedCallerIdBody>;

export const ListVerifiedCallerIdsQuery = PageQuery;
export const VerifiedCallerIdPage = pageOf(VerifiedCallerIdSchema);
