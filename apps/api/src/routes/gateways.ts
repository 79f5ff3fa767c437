import {
  CreateGatewayBody,
  GatewayPage,
  GatewaySchema,
  ListGatewaysQuery,
  SetTenantTrunksBody,
  TenantTrunkList,
  UpdateGatewayBody,
  Uuid,
} from '@pbx/contracts';
import {
  createGateway,
  deleteGateway,
  getGateway,
  listGateways,
  listTenantTrunks,
  setTenantTrunks,
  updateGateway,
  versionOf,
  type GatewayView,
} from '@pbx/domain';
import { GatewayStateReader } from '@pbx/events-ingest/readers';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { ifMatch, platformCtx, tenantCtx } from '../http/context.js';
import { gatewayDto } from '../http/mappers/routing.js';
import { pageDto } from '../http/mappers/shared.js';
import { NoContent, TenantParams, UpdateHeaders, WriteHeaders, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

const GatewayParams = z.object({ gatewayId: Uuid });

/**
 * Carrier trunks: platform admins only. The password is write-only (`hasPassword` says whether one is stored); each
 * trunk carries its state per FreeSWITCH node, which the controllers keep in Redis (docs/trunks.md).
 */
export const gatewayRoutes: FastifyPluginCallbackZod<{ svc: Services; redis: Redis }> = (
  app,
  { svc, redis },
  done,
) => {
  const tags = ['gateways'];
  const access = 'platform' as const;
  const states = new GatewayStateReader(redis, svc.config.REDIS_PREFIX);
  const dtos = async (gws: GatewayView[]) => {
    const byName = await states.byGateway(gws.map((g) => g.fsName));
    return gws.map((g) => gatewayDto(g, byName.get(g.fsName) ?? []));
  };
  const dto = async (g: GatewayView) => (await dtos([g]))[0] ?? gatewayDto(g);

  app.get('/gateways', {
    schema: {
      tags,
      summary: 'List carrier trunks',
      querystring: ListGatewaysQuery,
      response: withErrors({ 200: GatewayPage }),
    },
    config: { access },
    handler: async (req) => {
      const page = await listGateways(platformCtx(req, svc), req.query);
      const items = await dtos(page.items);
      return pageDto({ ...page, items }, (d) => d);
    },
  });

  app.post('/gateways', {
    schema: {
      tags,
      summary: 'Add a carrier trunk (FreeSWITCH loads it at once)',
      headers: WriteHeaders,
      body: CreateGatewayBody,
      response: withErrors({ 201: GatewaySchema }),
    },
    config: { access },
    handler: async (req, reply) => {
      const gw = await createGateway(platformCtx(req, svc), req.body, svc.gatewayKey);
      return reply
        .code(201)
        .header('etag', versionOf(gw))
        .send(await dto(gw));
    },
  });

  app.get('/gateways/:gatewayId', {
    schema: {
      tags,
      summary: 'Get a carrier trunk',
      params: GatewayParams,
      response: withErrors({ 200: GatewaySchema }),
    },
    config: { access },
    handler: async (req, reply) => {
      const gw = await getGateway(platformCtx(req, svc), req.params.gatewayId);
      return reply.header('etag', versionOf(gw)).send(await dto(gw));
    },
  });

  app.patch('/gateways/:gatewayId', {
    schema: {
      tags,
      summary: 'Change a carrier trunk (only the fields sent; FreeSWITCH reloads it)',
      params: GatewayParams,
      headers: UpdateHeaders,
      body: UpdateGatewayBody,
      response: withErrors({ 200: GatewaySchema }),
    },
    config: { access },
    handler: async (req, reply) => {
      const gw = await updateGateway(
        platformCtx(req, svc),
        req.params.gatewayId,
        req.body,
        svc.gatewayKey,
        ifMatch(req),
      );
      return reply.header('etag', versionOf(gw)).send(await dto(gw));
    },
  });

  app.delete('/gateways/:gatewayId', {
    schema: {
      tags,
      summary: 'Delete a carrier trunk no tenant uses',
      params: GatewayParams,
      headers: WriteHeaders,
      response: withErrors({ 204: NoContent }),
    },
    config: { access },
    handler: async (req, reply) => {
      await deleteGateway(platformCtx(req, svc), req.params.gatewayId);
      return reply.code(204).send();
    },
  });
  done();
};

/** The tenant's trunks in order: tenant admins read them, platform admins set them. */
export const tenantTrunkRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  const tags = ['gateways'];
  app.get('/trunks', {
    schema: {
      tags,
      summary: "The tenant's trunks, first choice first",
      params: TenantParams,
      response: withErrors({ 200: TenantTrunkList }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req) => ({ items: await listTenantTrunks(tenantCtx(req, svc)) }),
  });

  app.put('/trunks', {
    schema: {
      tags,
      summary: "Set the tenant's trunks in order (the next is tried when one fails)",
      params: TenantParams,
      headers: WriteHeaders,
      body: SetTenantTrunksBody,
      response: withErrors({ 200: TenantTrunkList }),
    },
    config: { access: 'tenant-platform' },
    handler: async (req) => ({ items: await setTenantTrunks(tenantCtx(req, svc), req.body) }),
  });
  done();
};
