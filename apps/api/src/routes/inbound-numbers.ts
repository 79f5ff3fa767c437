import {
  CreateInboundNumberBody,
  InboundNumberPage,
  InboundNumberSchema,
  ListInboundNumbersQuery,
  UpdateInboundNumberBody,
  Uuid,
} from '@pbx/contracts';
import {
  createInboundNumber,
  deleteInboundNumber,
  getInboundNumber,
  listInboundNumbers,
  updateInboundNumber,
  versionOf,
} from '@pbx/domain';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { ifMatch, tenantCtx } from '../http/context.js';
import { inboundNumberDto } from '../http/mappers/routing.js';
import { pageDto } from '../http/mappers/shared.js';
import { NoContent, TenantParams, UpdateHeaders, WriteHeaders, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

const NumberParams = TenantParams.extend({ numberId: Uuid });

export const inboundNumberRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  const tags = ['inbound-numbers'];

  app.get('/inbound-numbers', {
    schema: {
      tags,
      summary: 'List inbound numbers (DIDs)',
      params: TenantParams,
      querystring: ListInboundNumbersQuery,
      response: withErrors({ 200: InboundNumberPage }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req) =>
      pageDto(await listInboundNumbers(tenantCtx(req, svc), req.query), inboundNumberDto),
  });

  app.post('/inbound-numbers', {
    schema: {
      tags,
      summary: 'Assign a number to the tenant (platform admins: numbers come from the carrier inventory)',
      params: TenantParams,
      headers: WriteHeaders,
      body: CreateInboundNumberBody,
      response: withErrors({ 201: InboundNumberSchema }),
    },
    config: { access: 'tenant-platform' },
    handler: async (req, reply) => {
      const row = await createInboundNumber(tenantCtx(req, svc), req.body);
      return reply.code(201).header('etag', versionOf(row)).send(inboundNumberDto(row));
    },
  });

  app.get('/inbound-numbers/:numberId', {
    schema: {
      tags,
      summary: 'Get an inbound number',
      params: NumberParams,
      response: withErrors({ 200: InboundNumberSchema }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req, reply) => {
      const row = await getInboundNumber(tenantCtx(req, svc), req.params.numberId);
      return reply.header('etag', versionOf(row)).send(inboundNumberDto(row));
    },
  });

  app.patch('/inbound-numbers/:numberId', {
    schema: {
      tags,
      summary: 'Change where a number routes (only the fields sent)',
      params: NumberParams,
      headers: UpdateHeaders,
      body: UpdateInboundNumberBody,
      response: withErrors({ 200: InboundNumberSchema }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req, reply) => {
      const row = await updateInboundNumber(tenantCtx(req, svc), req.params.numberId, req.body, ifMatch(req));
      return reply.header('etag', versionOf(row)).send(inboundNumberDto(row));
    },
  });

  app.delete('/inbound-numbers/:numberId', {
    schema: {
      tags,
      summary: 'Release a number (platform admins)',
      params: NumberParams,
      headers: WriteHeaders,
      response: withErrors({ 204: NoContent }),
    },
    config: { access: 'tenant-platform' },
    handler: async (req, reply) => {
      await deleteInboundNumber(tenantCtx(req, svc), req.params.numberId);
      return reply.code(204).send();
    },
  });
  done();
};
