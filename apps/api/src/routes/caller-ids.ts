import {
  CreateVerifiedCallerIdBody,
  ListVerifiedCallerIdsQuery,
  Uuid,
  VerifiedCallerIdPage,
  VerifiedCallerIdSchema,
} from '@pbx/contracts';
import { createVerifiedCallerId, deleteVerifiedCallerId, listVerifiedCallerIds } from '@pbx/domain';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { tenantCtx } from '../http/context.js';
import { verifiedCallerIdDto } from '../http/mappers/routing.js';
import { pageDto } from '../http/mappers/shared.js';
import { NoContent, TenantParams, WriteHeaders, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

const CallerIdParams = TenantParams.extend({ callerIdId: Uuid });

/** Caller IDs a platform admin verified for the tenant (its own inbound numbers are allowed anyway). */
export const callerIdRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  const tags = ['caller-ids'];

  app.get('/verified-caller-ids', {
    schema: {
      tags,
      summary: "Numbers the platform verified as this tenant's, usable as extension caller ID",
      params: TenantParams,
      querystring: ListVerifiedCallerIdsQuery,
      response: withErrors({ 200: VerifiedCallerIdPage }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req) =>
      pageDto(await listVerifiedCallerIds(tenantCtx(req, svc), req.query), verifiedCallerIdDto),
  });

  app.post('/verified-caller-ids', {
    schema: {
      tags,
      summary: 'Verify a number as the tenant’s caller ID (platform admins; audited)',
      params: TenantParams,
      headers: WriteHeaders,
      body: CreateVerifiedCallerIdBody,
      response: withErrors({ 201: VerifiedCallerIdSchema }),
    },
    config: { access: 'tenant-platform' },
    handler: async (req, reply) => {
      const row = await createVerifiedCallerId(tenantCtx(req, svc), req.body);
      return reply.code(201).send(verifiedCallerIdDto(row));
    },
  });

  app.delete('/verified-caller-ids/:callerIdId', {
    schema: {
      tags,
      summary: 'Withdraw a verified caller ID (extensions using it fall back to the main number)',
      params: CallerIdParams,
      headers: WriteHeaders,
      response: withErrors({ 204: NoContent }),
    },
    config: { access: 'tenant-platform' },
    handler: async (req, reply) => {
      await deleteVerifiedCallerId(tenantCtx(req, svc), req.params.callerIdId);
      return reply.code(204).send();
    },
  });

  done();
};
