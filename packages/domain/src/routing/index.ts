export * from './types.js';
export { routeCall } from './engine.js';
export { findExtension, effectiveRecording, outboundCallerId } from './snapshot-index.js';
export {
  explainRoute,
  ExplainRequestSchema,
  type ExplainRequest,
  type Explanation,
  type ExplainedRoute,
} from './explain.js';
export {
  FEATURE_CODES,
  INTERNAL_PREFIX,
  SYNTHETIC,
  isInternalDestination,
  parseSynthetic,
  ringOutcome,
} from './features.js';
export {
  classifyNumber,
  homeOf,
  toE164,
  looksExternal,
  policyAllows,
  type ClassifiedNumber,
  type DialingHome,
  type NumberClass,
} from './numbers.js';
export { isEmergencyNumber, EMERGENCY_NUMBERS_WITHOUT_COUNTRY } from './emergency.js';
export { formatForTrunk, NumberFormatSchema, type NumberFormat } from './number-format.js';
export { outboundBlock, type OutboundBlockReason, type OutboundRules } from './outbound-block.js';
export { localTime, evaluateTimeCondition, type LocalTime } from './time.js';
export { countryBlock, countryOf, fraudSettingsOf, refuseOutbound } from './fraud-policy.js';
export { DEFAULT_FRAUD_SETTINGS, FraudSettingsSchema, type FraudSettings } from '../fraud/defaults.js';
export { FAILOVER_CAUSES, isFailoverCause } from './failover.js';
