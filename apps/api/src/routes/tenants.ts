import {
  CreateTenantBody,
  ListTenantsQuery,
  PurgeTenantBody,
  TenantPage,
  TenantSchema,
  TenantSettingsBody,
  UpdateTenantBody,
} from '@pbx/contracts';
import {
  createTenant,
  getTenant,
  listTenants,
  purgeTenant,
  restoreTenant,
  scheduleTenantDeletion,
  updateTenant,
  updateTenantSettings,
  versionOf,
} from '@pbx/domain';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { ifMatch, platformCtx, tenantCtx } from '../http/context.js';
import { tenantDto } from '../http/mappers/accounts.js';
import { pageDto } from '../http/mappers/shared.js';
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

  app.patch('/tenants/:tenantId/settings', {
    schema: {
      tags,
      summary:
        "A tenant admin's company settings: name, time zone, default caller ID (one of its numbers), recording policy and retention",
      params: TenantParams,
      headers: UpdateHeaders,
      body: TenantSettingsBody,
      response: withErrors({ 200: TenantSchema }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req, reply) => {
      const tenant = await updateTenantSettings(tenantCtx(req, svc), req.body, ifMatch(req));
      return reply.header('etag', versionOf(tenant)).send(tenantDto(tenant));
    },
  });

  app.delete('/tenants/:tenantId', {
    schema: {
      tags,
      summary:
        'Delete a tenant: suspends it at once and purges its rows and audio after the grace period (purgeAt); restorable until then',
      params: TenantParams,
      headers: WriteHeaders,
      response: withErrors({ 202: TenantSchema }),
    },
    config: { access: 'tenant-platform' },
    handler: async (req, reply) => {
      const tenant = await scheduleTenantDeletion(
        platformCtx(req, svc),
        req.params.tenantId,
        svc.config.TENANT_PURGE_GRACE_DAYS,
      );
      return reply.code(202).header('etag', versionOf(tenant)).send(tenantDto(tenant));
    },
  });

  app.post('/tenants/:tenantId/restore', {
    schema: {
      tags,
      summary: 'Cancel a scheduled deletion: the tenant is active again',
      params: TenantParams,
      headers: WriteHeaders,
      response: withErrors({ 200: TenantSchema }),
    },
    config: { access: 'tenant-platform' },
    handler: async (req, reply) => {
      const tenant = await restoreTenant(platformCtx(req, svc), req.params.tenantId);
      return reply.header('etag', versionOf(tenant)).send(tenantDto(tenant));
    },
  });

  app.post('/tenants/:tenantId/purge', {
    schema: {
      tags,
      summary:
        "Purge a deleted tenant now, without waiting for the grace period: every row and audio file; repeat the tenant's domain to confirm",
      params: TenantParams,
      headers: WriteHeaders,
      body: PurgeTenantBody,
      response: withErrors({ 204: NoContent }),
    },
    config: { access: 'tenant-platform' },
    handler: async (req, reply) => {
      await purgeTenant(platformCtx(req, svc), req.params.tenantId, {
        confirmDomain: req.body.confirmDomain,
        recordingsDir: svc.config.RECORDINGS_DIR,
        mediaDir: svc.config.MEDIA_DIR,
        storage: svc.storage,
      });
      return reply.code(204).send();
    },
  });
  done();
};
