export { getFraudPolicy, updateFraudPolicy } from './fraud-policy.js';
export { DEFAULT_FRAUD_SETTINGS, FraudSettingsSchema, type FraudSettings } from './defaults.js';
