import { AuditPage, ListAuditQuery, Uuid } from '@pbx/contracts';
import { listAuditLog } from '@pbx/domain';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { platformCtx, tenantCtx } from '../http/context.js';
import { auditDto } from '../http/mappers/accounts.js';
import { pageDto } from '../http/mappers/shared.js';
import { TenantParams, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

/** The tenant's own log (tenant admins), and the whole platform's (platform admins). */
export const tenantAuditRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  app.get('/audit-log', {
    schema: {
      tags: ['audit'],
      summary: "The tenant's audit log, newest first (secrets are never recorded)",
      params: TenantParams,
      querystring: ListAuditQuery,
      response: withErrors({ 200: AuditPage }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req) => {
      const ctx = tenantCtx(req, svc);
      return pageDto(await listAuditLog(ctx, ctx.tenantId, req.query), auditDto);
    },
  });
  done();
};

export const platformAuditRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  app.get('/audit-log', {
    schema: {
      tags: ['audit'],
      summary: 'The platform-wide audit log, newest first (filter with ?tenantId=)',
      querystring: ListAuditQuery.extend({ tenantId: Uuid.optional() }),
      response: withErrors({ 200: AuditPage }),
    },
    config: { access: 'platform' },
    handler: async (req) => {
      const { tenantId, ...query } = req.query;
      return pageDto(await listAuditLog(platformCtx(req, svc), tenantId, query), auditDto);
    },
  });
  done();
};
