import { policyAllows, type ClassifiedNumber } from './numbers.js';
import type { BlockedReason, OutboundPolicy } from './types.js';

export type OutboundRules = { allowInternational: boolean; allowPremium: boolean };
export type OutboundBlockReason = Extract<
  BlockedReason,
  'INTERNATIONAL_BLOCKED' | 'PREMIUM_BLOCKED' | 'POLICY_BLOCKED'
>;

/**
 * Why an extension with `policy` (none: a call from outside) may not reach the external number `n`, or null when
 * it may. The routing engine asks before every outbound call and every `*72`; the extension writes ask for each
 * forward target, so a forward is refused when it is set rather than silently dropping every call later.
 */
export function outboundBlock(
  n: ClassifiedNumber,
  tenant: OutboundRules,
  policy: OutboundPolicy | undefined,
): OutboundBlockReason | null {
  if (n.class === 'EMERGENCY') return null;
  if (n.class === 'INTERNATIONAL' && !tenant.allowInternational) return 'INTERNATIONAL_BLOCKED';
  if (n.premium && !tenant.allowPremium) return 'PREMIUM_BLOCKED';
  if (policy && !policyAllows(policy, n.class)) return 'POLICY_BLOCKED';
  return null;
}
