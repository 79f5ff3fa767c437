import {
  CreateRingGroupBody,
  ListRingGroupsQuery,
  RerouteQuery,
  RingGroupPage,
  RingGroupSchema,
  UpdateRingGroupBody,
  Uuid,
} from '@pbx/contracts';
import {
  createRingGroup,
  deleteRingGroup,
  getRingGroup,
  listRingGroups,
  parseReroute,
  updateRingGroup,
  versionOf,
} from '@pbx/domain';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { ifMatch, tenantCtx } from '../http/context.js';
import { ringGroupDto } from '../http/mappers/routing.js';
import { pageDto } from '../http/mappers/shared.js';
import { NoContent, TenantParams, UpdateHeaders, WriteHeaders, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

const GroupParams = TenantParams.extend({ groupId: Uuid });

export const ringGroupRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  const tags = ['ring-groups'];
  const config = { access: 'tenant-admin' } as const;

  app.get('/ring-groups', {
    schema: {
      tags,
      summary: 'List ring groups with their members',
      params: TenantParams,
      querystring: ListRingGroupsQuery,
      response: withErrors({ 200: RingGroupPage }),
    },
    config,
    handler: async (req) => pageDto(await listRingGroups(tenantCtx(req, svc), req.query), ringGroupDto),
  });

  app.post('/ring-groups', {
    schema: {
      tags,
      summary: 'Create a ring group',
      params: TenantParams,
      headers: WriteHeaders,
      body: CreateRingGroupBody,
      response: withErrors({ 201: RingGroupSchema }),
    },
    config,
    handler: async (req, reply) => {
      const group = await createRingGroup(tenantCtx(req, svc), req.body);
      return reply.code(201).header('etag', versionOf(group)).send(ringGroupDto(group));
    },
  });

  app.get('/ring-groups/:groupId', {
    schema: {
      tags,
      summary: 'Get a ring group',
      params: GroupParams,
      response: withErrors({ 200: RingGroupSchema }),
    },
    config,
    handler: async (req, reply) => {
      const group = await getRingGroup(tenantCtx(req, svc), req.params.groupId);
      return reply.header('etag', versionOf(group)).send(ringGroupDto(group));
    },
  });

  app.patch('/ring-groups/:groupId', {
    schema: {
      tags,
      summary: 'Change a ring group (only the fields sent; members, when sent, replace the list)',
      params: GroupParams,
      headers: UpdateHeaders,
      body: UpdateRingGroupBody,
      response: withErrors({ 200: RingGroupSchema }),
    },
    config,
    handler: async (req, reply) => {
      const group = await updateRingGroup(tenantCtx(req, svc), req.params.groupId, req.body, ifMatch(req));
      return reply.header('etag', versionOf(group)).send(ringGroupDto(group));
    },
  });

  app.delete('/ring-groups/:groupId', {
    schema: {
      tags,
      summary: 'Delete a ring group; fails with REFERENCED while routed to, unless rerouted',
      params: GroupParams,
      querystring: RerouteQuery,
      headers: WriteHeaders,
      response: withErrors({ 204: NoContent }),
    },
    config,
    handler: async (req, reply) => {
      await deleteRingGroup(
        tenantCtx(req, svc),
        req.params.groupId,
        parseReroute(req.query.reroute_type, req.query.reroute_value),
      );
      return reply.code(204).send();
    },
  });
  done();
};
