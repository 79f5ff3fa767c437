import type { Prisma } from '@pbx/db';
import type { Actor } from '../context.js';

/** Platform admins see every key; tenant admins only their tenant's. */
export function visibleKeys(actor: Actor): Prisma.ApiKeyWhereInput {
  return actor.role === 'PLATFORM_ADMIN'
    ? {}
    : { tenantId: actor.tenantId ?? '00000000-0000-0000-0000-000000000000' };
}
