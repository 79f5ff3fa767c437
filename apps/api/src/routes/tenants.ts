import {
  CreateTenantBody,
  ListTenantsQuery,
  TenantPage,
  TenantSchema,
  UpdateTenantBody,
} from '@pbx/contracts';
import { createTenant, deleteTenant, getTenant, listTenants, updateTenant, versionOf } from '@pbx/domain';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { ifMatch, platformCtx } from '../http/context.js';
import { pageDto, tenantDto } from '../http/mappers.js';
import { NoContent, TenantParams, UpdateHeaders, WriteHeaders, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

export const tenantRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  const tags = ['tenants'];

  app.get('/tenants', {
    schema: {
      tags,
      summary: 'List tenants',
      querystring: ListTenantsQuery,
      response: withErrors({ 200: TenantPage }),
    },
    config: { access: 'platform' },
    handler: async (req) => pageDto(await listTenants(platformCtx(req, svc), req.query), tenantDto),
  });

  app.post('/tenants', {
    schema: {
      tags,
      summary: 'Create a tenant',
      headers: WriteHeaders,
      body: CreateTenantBody,
      response: withErrors({ 201: TenantSchema }),
    },
    config: { access: 'platform' },
    handler: async (req, reply) => {
      const tenant = await createTenant(platformCtx(req, svc), req.body);
      return reply.code(201).header('etag', versionOf(tenant)).send(tenantDto(tenant));
    },
  });

  app.get('/tenants/:tenantId', {
    schema: {
      tags,
      summary: 'Get a tenant',
      params: TenantParams,
      response: withErrors({ 200: TenantSchema }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req, reply) => {
      const tenant = await getTenant(svc, req.params.tenantId);
      return reply.header('etag', versionOf(tenant)).send(tenantDto(tenant));
    },
  });

  app.patch('/tenants/:tenantId', {
    schema: {
      tags,
      summary: 'Change a tenant (only the fields sent)',
      params: TenantParams,
      headers: UpdateHeaders,
      body: UpdateTenantBody,
      response: withErrors({ 200: TenantSchema }),
    },
    config: { access: 'tenant-platform' },
    handler: async (req, reply) => {
      const tenant = await updateTenant(platformCtx(req, svc), req.params.tenantId, req.body, ifMatch(req));
      return reply.header('etag', versionOf(tenant)).send(tenantDto(tenant));
    },
  });

  app.delete('/tenants/:tenantId', {
    schema: {
      tags,
      summary: 'Delete a tenant and everything it owns',
      params: TenantParams,
      headers: WriteHeaders,
      response: withErrors({ 204: NoContent }),
    },
    config: { access: 'tenant-platform' },
    handler: async (req, reply) => {
      await deleteTenant(platformCtx(req, svc), req.params.tenantId);
      return reply.code(204).send();
    },
  });
  done();
};
