/**
 * The abuse guards' Redis state (issue #14): what controllers count and enforce and what the API lists and lifts.
 * Reaches neither the ESL adapter nor modesl, so the API may import it.
 */
export { GuardMirror, normalizeAddress } from './mirror.js';
export { DEFAULT_GUARD_POLICY, type GuardPolicy, type GuardRule } from './policy.js';
export { GuardStore, type AuthFailure } from './store.js';
export { FraudStore, type FraudCall, type FraudLimits, type FraudVerdict } from './fraud.js';
