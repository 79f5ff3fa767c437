import { z } from 'zod';
import { Timestamp } from './common.js';

/**
 * A trunk's state on one FreeSWITCH node, from sofia::gateway_state events and `sofia status gateway` (mod_sofia).
 * `state` is sofia_state_string (REGED, NOREG, TRYING, FAIL_WAIT, UNREGED, …); `pingStatus` is the OPTIONS-ping
 * status (UP, DOWN, INVALID), null while only `sofia status gateway` reported the gateway (its list has no such
 * column).
 */
export const GatewayNodeStateSchema = z.object({
  /** The node's switchname. */
  node: z.string(),
  gateway: z.string(),
  state: z.string(),
  pingStatus: z.string().nullable(),
  /** When `state` or `pingStatus` last changed, as far as the controllers saw it. */
  changedAt: Timestamp,
});
export type GatewayNodeState = z.infer<typeof GatewayNodeStateSchema>;
