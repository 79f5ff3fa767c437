import type { Db, UserRole } from '@pbx/db';
import type { Principal } from './principal.js';

export type PrincipalDescription = {
  role: UserRole;
  user: { id: string; email: string; name: string } | null;
  apiKey: { id: string; name: string; prefix: string } | null;
  tenant: { id: string; name: string; domain: string; timeZone: string } | null;
  extension: { id: string; number: string; voicemailBoxId: string | null } | null;
};

/** What /auth/me shows: the caller, its tenant and (for tenant users) the extension it manages. */
export async function describePrincipal(
  db: Db,
  principal: Pick<Principal, 'actor' | 'apiKey'>,
): Promise<PrincipalDescription> {
  const { actor } = principal;
  if (actor.userId) return describeUser(db, actor.userId);
  const tenant = actor.tenantId
    ? await db.tenant.findUnique({
        where: { id: actor.tenantId },
        select: { id: true, name: true, domain: true, timeZone: true },
      })
    : null;
  return { role: actor.role, user: null, apiKey: principal.apiKey, tenant, extension: null };
}

export async function describeUser(db: Db, userId: string): Promise<PrincipalDescription> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    include: {
      tenant: { select: { id: true, name: true, domain: true, timeZone: true } },
      extension: { select: { id: true, number: true, voicemailBoxId: true } },
    },
  });
  return {
    role: user.role,
    user: { id: user.id, email: user.email, name: user.name },
    apiKey: null,
    tenant: user.tenant,
    extension: user.extension,
  };
}
