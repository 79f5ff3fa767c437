import { z } from 'zod';
import { DestinationSchema, E164, PageQuery, Text, Timestamp, Uuid, pageOf } from './common.js';

export const InboundNumberSchema = z.object({
  id: Uuid,
  tenantId: Uuid,
  e164: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  destination: DestinationSchema,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type InboundNumber = z.infer<typeof InboundNumberSchema>;

export const CreateInboundNumberBody = z.strictObject({
  /** Unique across the platform: a number rings at one tenant only. */
  e164: E164,
  description: Text(200).optional(),
  enabled: z.boolean().optional(),
  destination: DestinationSchema,
});
export type CreateInboundNumber = z.infer<typeof CreateInboundNumberBody>;
/** Tenant admins may change routing and description; the number itself is assigned by the platform. */
export const UpdateInboundNumberBody = CreateInboundNumberBody.omit({ e164: true }).partial();
export type UpdateInboundNumber = z.infer<typeof UpdateInboundNumberBody>;

export const ListInboundNumbersQuery = PageQuery.extend({ search: z.string().max(16).optional() });
export const InboundNumberPage = pageOf(InboundNumberSchema);
