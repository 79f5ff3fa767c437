import type { RingGroup, RingGroupMember } from '@pbx/db';

export type RingGroupWithMembers = RingGroup & { members: RingGroupMember[] };
export const withMembers = { members: { orderBy: { position: 'asc' } } } as const;
