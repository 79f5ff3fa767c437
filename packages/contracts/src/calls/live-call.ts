import { z } from 'zod';
import { CallDirectionSchema } from './cdr-ingest.js';

export const LiveCallStateSchema = z.enum(['ringing', 'answered', 'bridged']);
export type LiveCallState = z.infer<typeof LiveCallStateSchema>;

/** One active channel (call leg) of a tenant, as the live view shows it. */
export const LiveCallSchema = z.object({
  uuid: z.string().min(1),
  nodeId: z.string(),
  tenantId: z.uuid(),
  direction: CallDirectionSchema,
  callerNumber: z.string(),
  callerName: z.string(),
  callee: z.string(),
  state: LiveCallStateSchema,
  /** The other leg once bridged. */
  otherUuid: z.string().nullable(),
  /** ISO instant the channel was created. */
  createdAt: z.iso.datetime(),
  /** ISO instant the channel entered its current state. */
  since: z.iso.datetime(),
});
export type LiveCall = z.infer<typeof LiveCallSchema>;

/**
 * What the per-tenant change feed (and the SSE endpoint streaming it) sends:
 * a leg appeared or changed, or a leg is gone.
 */
export const LiveCallChangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('upsert'), tenantId: z.uuid(), call: LiveCallSchema }),
  z.object({ type: z.literal('remove'), tenantId: z.uuid(), uuid: z.string().min(1) }),
]);
export type LiveCallChange = z.infer<typeof LiveCallChangeSchema>;

export const liveCallsChannel = (redisPrefix: string, tenantId: string): string =>
  `${redisPrefix}:live:changes:${tenantId}`;
