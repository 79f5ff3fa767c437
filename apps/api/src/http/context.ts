import type { PlatformContext, TenantContext } from '@pbx/domain';
import type { FastifyRequest } from 'fastify';
import type { Services } from './types.js';

export function platformCtx(req: FastifyRequest, svc: Services): PlatformContext {
  if (!req.principal) throw new Error('platformCtx on an unauthenticated request');
  return { db: svc.db, notify: svc.notify, actor: req.principal.actor };
}

export function tenantCtx(req: FastifyRequest, svc: Services): TenantContext {
  if (!req.tenant) throw new Error('tenantCtx on a route that is not tenant-scoped');
  return { ...platformCtx(req, svc), tenantId: req.tenant.id, domain: req.tenant.domain };
}

export function ifMatch(req: FastifyRequest): string | undefined {
  const value = req.headers['if-match'];
  return typeof value === 'string' ? value : undefined;
}

/** Who lifted a guard or fraud block, as the alert records it: the user or API key, never a secret. */
export const liftedBy = (req: FastifyRequest): string => {
  const a = req.principal?.actor;
  return a?.userId ? `user ${a.userId}` : a?.apiKeyId ? `api key ${a.apiKeyId}` : 'unknown';
};
