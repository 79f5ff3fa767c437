export { createTimeCondition } from './create-time-condition.js';
export { updateTimeCondition } from './update-time-condition.js';
export { deleteTimeCondition } from './delete-time-condition.js';
export { getTimeCondition } from './get-time-condition.js';
export { listTimeConditions } from './list-time-conditions.js';
export type { TimeConditionFull } from './types.js';
