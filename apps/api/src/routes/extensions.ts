import {
  ChangeExtensionNumberBody,
  ChangedExtensionNumberSchema,
  CreateExtensionBody,
  ExtensionPage,
  ExtensionSchema,
  ExtensionSettingsBody,
  ExtensionWithPasswordSchema,
  ListExtensionsQuery,
  RerouteQuery,
  SetSipPasswordBody,
  UpdateExtensionBody,
  Uuid,
} from '@pbx/contracts';
import {
  changeExtensionNumber,
  createExtension,
  deleteExtension,
  getExtension,
  listExtensions,
  parseReroute,
  resetExtensionPassword,
  setExtensionPassword,
  updateExtension,
  versionOf,
} from '@pbx/domain';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { ifMatch, tenantCtx } from '../http/context.js';
import { extensionDto } from '../http/mappers/routing.js';
import { pageDto } from '../http/mappers/shared.js';
import { NoContent, TenantParams, UpdateHeaders, WriteHeaders, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

const ExtensionParams = TenantParams.extend({ extensionId: Uuid });

export const extensionRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  const tags = ['extensions'];
  const admin = { access: 'tenant-admin' } as const;
  const dto = (domain: string) => extensionDto.bind(null, svc.config, domain);

  app.get('/extensions', {
    schema: {
      tags,
      summary: 'List extensions',
      params: TenantParams,
      querystring: ListExtensionsQuery,
      response: withErrors({ 200: ExtensionPage }),
    },
    config: admin,
    handler: async (req) => {
      const ctx = tenantCtx(req, svc);
      return pageDto(await listExtensions(ctx, req.query), dto(ctx.domain));
    },
  });

  app.post('/extensions', {
    schema: {
      tags,
      summary: 'Create an extension; the SIP password is in this response only',
      params: TenantParams,
      headers: WriteHeaders,
      body: CreateExtensionBody,
      response: withErrors({ 201: ExtensionWithPasswordSchema }),
    },
    config: admin,
    handler: async (req, reply) => {
      const ctx = tenantCtx(req, svc);
      const { extension, sipPassword } = await createExtension(ctx, req.body);
      return reply
        .code(201)
        .header('etag', versionOf(extension))
        .send({ ...dto(ctx.domain)(extension), sipPassword });
    },
  });

  app.get('/extensions/:extensionId', {
    schema: {
      tags,
      summary: 'Get an extension (admins, or its own user)',
      params: ExtensionParams,
      response: withErrors({ 200: ExtensionSchema }),
    },
    config: { access: 'extension-owner' },
    handler: async (req, reply) => {
      const ctx = tenantCtx(req, svc);
      const extension = await getExtension(ctx, req.params.extensionId);
      return reply.header('etag', versionOf(extension)).send(dto(ctx.domain)(extension));
    },
  });

  app.patch('/extensions/:extensionId', {
    schema: {
      tags,
      summary:
        'Change an extension (only the fields sent; the number changes through change-number). Its own user may send only DND and forwarding (else 403)',
      params: ExtensionParams,
      headers: UpdateHeaders,
      body: UpdateExtensionBody,
      response: withErrors({ 200: ExtensionSchema }),
    },
    // The domain decides which fields the extension's own user may change.
    config: { access: 'extension-owner' },
    handler: async (req, reply) => {
      const ctx = tenantCtx(req, svc);
      const extension = await updateExtension(ctx, req.params.extensionId, req.body, ifMatch(req));
      return reply.header('etag', versionOf(extension)).send(dto(ctx.domain)(extension));
    },
  });

  app.patch('/extensions/:extensionId/settings', {
    schema: {
      tags,
      summary: "The extension user's own settings: DND and call forwarding",
      params: ExtensionParams,
      headers: UpdateHeaders,
      body: ExtensionSettingsBody,
      response: withErrors({ 200: ExtensionSchema }),
    },
    config: { access: 'extension-owner' },
    handler: async (req, reply) => {
      const ctx = tenantCtx(req, svc);
      const extension = await updateExtension(ctx, req.params.extensionId, req.body, ifMatch(req));
      return reply.header('etag', versionOf(extension)).send(dto(ctx.domain)(extension));
    },
  });

  app.post('/extensions/:extensionId/reset-password', {
    schema: {
      tags,
      summary: 'Generate a new SIP password (returned once); the old one stops working',
      params: ExtensionParams,
      headers: WriteHeaders,
      response: withErrors({ 200: ExtensionWithPasswordSchema }),
    },
    config: admin,
    handler: async (req, reply) => {
      const ctx = tenantCtx(req, svc);
      const { extension, sipPassword } = await resetExtensionPassword(ctx, req.params.extensionId);
      return reply.header('etag', versionOf(extension)).send({ ...dto(ctx.domain)(extension), sipPassword });
    },
  });

  app.put('/extensions/:extensionId/sip-password', {
    schema: {
      tags,
      summary:
        'Set a chosen SIP password (a phone moved from another PBX); refused when short, common, or containing the number or domain',
      params: ExtensionParams,
      headers: WriteHeaders,
      body: SetSipPasswordBody,
      response: withErrors({ 200: ExtensionSchema }),
    },
    config: admin,
    handler: async (req, reply) => {
      const ctx = tenantCtx(req, svc);
      const extension = await setExtensionPassword(ctx, req.params.extensionId, req.body);
      return reply.header('etag', versionOf(extension)).send(dto(ctx.domain)(extension));
    },
  });

  app.post('/extensions/:extensionId/change-number', {
    schema: {
      tags,
      summary:
        'Give an extension a new number; what routes to it follows. The SIP user name becomes the new number; the password is kept when currentPassword is given, else a new one is returned once',
      params: ExtensionParams,
      headers: WriteHeaders,
      body: ChangeExtensionNumberBody,
      response: withErrors({ 200: ChangedExtensionNumberSchema }),
    },
    config: admin,
    handler: async (req, reply) => {
      const ctx = tenantCtx(req, svc);
      const { extension, sipPassword } = await changeExtensionNumber(ctx, req.params.extensionId, req.body);
      return reply.header('etag', versionOf(extension)).send({ ...dto(ctx.domain)(extension), sipPassword });
    },
  });

  app.delete('/extensions/:extensionId', {
    schema: {
      tags,
      summary:
        'Delete an extension; fails with REFERENCED while routed to, unless reroute_type/reroute_value are given',
      params: ExtensionParams,
      querystring: RerouteQuery,
      headers: WriteHeaders,
      response: withErrors({ 204: NoContent }),
    },
    config: admin,
    handler: async (req, reply) => {
      const reroute = parseReroute(req.query.reroute_type, req.query.reroute_value);
      await deleteExtension(tenantCtx(req, svc), req.params.extensionId, reroute);
      return reply.code(204).send();
    },
  });
  done();
};
