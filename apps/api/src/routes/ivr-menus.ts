import {
  CreateIvrMenuBody,
  IvrMenuPage,
  IvrMenuSchema,
  ListIvrMenusQuery,
  RerouteQuery,
  UpdateIvrMenuBody,
  Uuid,
} from '@pbx/contracts';
import {
  createIvrMenu,
  deleteIvrMenu,
  getIvrMenu,
  listIvrMenus,
  parseReroute,
  updateIvrMenu,
  versionOf,
} from '@pbx/domain';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { ifMatch, tenantCtx } from '../http/context.js';
import { ivrMenuDto } from '../http/mappers/routing.js';
import { pageDto } from '../http/mappers/shared.js';
import { NoContent, TenantParams, UpdateHeaders, WriteHeaders, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

const MenuParams = TenantParams.extend({ menuId: Uuid });

export const ivrMenuRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  const tags = ['ivr-menus'];
  const config = { access: 'tenant-admin' } as const;

  app.get('/ivr-menus', {
    schema: {
      tags,
      summary: 'List IVR menus with their options',
      params: TenantParams,
      querystring: ListIvrMenusQuery,
      response: withErrors({ 200: IvrMenuPage }),
    },
    config,
    handler: async (req) => pageDto(await listIvrMenus(tenantCtx(req, svc), req.query), ivrMenuDto),
  });

  app.post('/ivr-menus', {
    schema: {
      tags,
      summary: 'Create an IVR menu with its options',
      params: TenantParams,
      headers: WriteHeaders,
      body: CreateIvrMenuBody,
      response: withErrors({ 201: IvrMenuSchema }),
    },
    config,
    handler: async (req, reply) => {
      const menu = await createIvrMenu(tenantCtx(req, svc), req.body);
      return reply.code(201).header('etag', versionOf(menu)).send(ivrMenuDto(menu));
    },
  });

  app.get('/ivr-menus/:menuId', {
    schema: {
      tags,
      summary: 'Get an IVR menu',
      params: MenuParams,
      response: withErrors({ 200: IvrMenuSchema }),
    },
    config,
    handler: async (req, reply) => {
      const menu = await getIvrMenu(tenantCtx(req, svc), req.params.menuId);
      return reply.header('etag', versionOf(menu)).send(ivrMenuDto(menu));
    },
  });

  app.patch('/ivr-menus/:menuId', {
    schema: {
      tags,
      summary: 'Change an IVR menu (only the fields sent; options, when sent, replace the set)',
      params: MenuParams,
      headers: UpdateHeaders,
      body: UpdateIvrMenuBody,
      response: withErrors({ 200: IvrMenuSchema }),
    },
    config,
    handler: async (req, reply) => {
      const menu = await updateIvrMenu(tenantCtx(req, svc), req.params.menuId, req.body, ifMatch(req));
      return reply.header('etag', versionOf(menu)).send(ivrMenuDto(menu));
    },
  });

  app.delete('/ivr-menus/:menuId', {
    schema: {
      tags,
      summary: 'Delete an IVR menu; fails with REFERENCED while routed to, unless rerouted',
      params: MenuParams,
      querystring: RerouteQuery,
      headers: WriteHeaders,
      response: withErrors({ 204: NoContent }),
    },
    config,
    handler: async (req, reply) => {
      await deleteIvrMenu(
        tenantCtx(req, svc),
        req.params.menuId,
        parseReroute(req.query.reroute_type, req.query.reroute_value),
      );
      return reply.code(204).send();
    },
  });
  done();
};
