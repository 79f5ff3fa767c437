export * from './types.js';
export { routeCall, findExtension, effectiveRecording, outboundCallerId } from './engine.js';
export {
  explainRoute,
  ExplainRequestSchema,
  type ExplainRequest,
  type Explanation,
  type ExplainedRoute,
} from './explain.js';
export { FEATURE_CODES, INTERNAL_TRANSFER_VARIABLE, SYNTHETIC, parseSynthetic } from './features.js';
export {
  classifyNumber,
  countryCodeOf,
  toE164,
  looksExternal,
  policyAllows,
  type ClassifiedNumber,
  type NumberClass,
} from './numbers.js';
export { outboundBlock, type OutboundBlockReason, type OutboundRules } from './outbound-block.js';
export { localTime, evaluateTimeCondition, type LocalTime } from './time.js';
