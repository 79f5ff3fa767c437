export * from './security/index.js';
export { sweepExpired, type SweepExpiredOptions } from './maintenance/sweep-expired.js';
