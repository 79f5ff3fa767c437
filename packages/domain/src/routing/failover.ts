import type { GatewaySnapshot, TenantSnapshot } from './types.js';

/**
 * The hang-up causes on which an outbound call moves on to the tenant's next trunk: the trunk or the network failed,
 * so another carrier may well complete the call. The callee's own answers (USER_BUSY, CALL_REJECTED, NO_ANSWER,
 * NO_USER_RESPONSE, UNALLOCATED_NUMBER, INVALID_NUMBER_FORMAT, …) and the caller hanging up (ORIGINATOR_CANCEL) are
 * not among them: another trunk would only ring the same busy phone or reach the same missing number.
 *
 * Names as FreeSWITCH's switch_channel_cause2str spells them (src/switch_channel.c); sofia reports GATEWAY_DOWN for a
 * gateway whose OPTIONS ping failed and INVALID_GATEWAY for one the node does not have (mod_sofia.c
 * sofia_outgoing_channel); SIP 500/503 map to NORMAL_TEMPORARY_FAILURE, 502 to NETWORK_OUT_OF_ORDER, 408/504 to
 * RECOVERY_ON_TIMER_EXPIRE and 488 to INCOMPATIBLE_DESTINATION (sofia_glue.c sofia_glue_sip_cause_to_freeswitch).
 */
export const FAILOVER_CAUSES = [
  'GATEWAY_DOWN',
  'INVALID_GATEWAY',
  'NORMAL_TEMPORARY_FAILURE',
  'NETWORK_OUT_OF_ORDER',
  'RECOVERY_ON_TIMER_EXPIRE',
  'DESTINATION_OUT_OF_ORDER',
  'NORMAL_CIRCUIT_CONGESTION',
  'SWITCH_CONGESTION',
  'SERVICE_UNAVAILABLE',
  'INCOMPATIBLE_DESTINATION',
  'BEARERCAPABILITY_NOTAVAIL',
] as const;

const FAILOVER = new Set<string>(FAILOVER_CAUSES);

/** Whether a trunk attempt that ended with this cause is followed by the next trunk. */
export const isFailoverCause = (cause: string): boolean => FAILOVER.has(cause.toUpperCase());

/** The tenant's enabled trunks, first choice first (`gateway` alone in snapshots built before `gateways`). */
export const enabledTrunks = (s: Pick<TenantSnapshot, 'gateway' | 'gateways'>): GatewaySnapshot[] =>
  (s.gateways ?? (s.gateway ? [s.gateway] : [])).filter((g) => g.enabled);
