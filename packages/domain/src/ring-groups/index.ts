export { createRingGroup } from './create-ring-group.js';
export { updateRingGroup } from './update-ring-group.js';
export { deleteRingGroup } from './delete-ring-group.js';
export { getRingGroup } from './get-ring-group.js';
export { listRingGroups } from './list-ring-groups.js';
export type { RingGroupWithMembers } from './types.js';
