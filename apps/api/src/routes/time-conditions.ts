import {
  CreateTimeConditionBody,
  ListTimeConditionsQuery,
  RerouteQuery,
  TimeConditionPage,
  TimeConditionSchema,
  UpdateTimeConditionBody,
  Uuid,
} from '@pbx/contracts';
import {
  createTimeCondition,
  deleteTimeCondition,
  getTimeCondition,
  listTimeConditions,
  parseReroute,
  updateTimeCondition,
  versionOf,
} from '@pbx/domain';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { ifMatch, tenantCtx } from '../http/context.js';
import { timeConditionDto } from '../http/mappers/routing.js';
import { pageDto } from '../http/mappers/shared.js';
import { NoContent, TenantParams, UpdateHeaders, WriteHeaders, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

const ConditionParams = TenantParams.extend({ conditionId: Uuid });

export const timeConditionRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  const tags = ['time-conditions'];
  const config = { access: 'tenant-admin' } as const;

  app.get('/time-conditions', {
    schema: {
      tags,
      summary: 'List time conditions with their schedules',
      params: TenantParams,
      querystring: ListTimeConditionsQuery,
      response: withErrors({ 200: TimeConditionPage }),
    },
    config,
    handler: async (req) =>
      pageDto(await listTimeConditions(tenantCtx(req, svc), req.query), timeConditionDto),
  });

  app.post('/time-conditions', {
    schema: {
      tags,
      summary: 'Create a time condition (weekly open hours + holidays)',
      params: TenantParams,
      headers: WriteHeaders,
      body: CreateTimeConditionBody,
      response: withErrors({ 201: TimeConditionSchema }),
    },
    config,
    handler: async (req, reply) => {
      const tc = await createTimeCondition(tenantCtx(req, svc), req.body);
      return reply.code(201).header('etag', versionOf(tc)).send(timeConditionDto(tc));
    },
  });

  app.get('/time-conditions/:conditionId', {
    schema: {
      tags,
      summary: 'Get a time condition',
      params: ConditionParams,
      response: withErrors({ 200: TimeConditionSchema }),
    },
    config,
    handler: async (req, reply) => {
      const tc = await getTimeCondition(tenantCtx(req, svc), req.params.conditionId);
      return reply.header('etag', versionOf(tc)).send(timeConditionDto(tc));
    },
  });

  app.patch('/time-conditions/:conditionId', {
    schema: {
      tags,
      summary:
        'Change a time condition (only the fields sent; ranges and holidays, when sent, replace their lists)',
      params: ConditionParams,
      headers: UpdateHeaders,
      body: UpdateTimeConditionBody,
      response: withErrors({ 200: TimeConditionSchema }),
    },
    config,
    handler: async (req, reply) => {
      const tc = await updateTimeCondition(
        tenantCtx(req, svc),
        req.params.conditionId,
        req.body,
        ifMatch(req),
      );
      return reply.header('etag', versionOf(tc)).send(timeConditionDto(tc));
    },
  });

  app.delete('/time-conditions/:conditionId', {
    schema: {
      tags,
      summary: 'Delete a time condition; fails with REFERENCED while routed to, unless rerouted',
      params: ConditionParams,
      querystring: RerouteQuery,
      headers: WriteHeaders,
      response: withErrors({ 204: NoContent }),
    },
    config,
    handler: async (req, reply) => {
      await deleteTimeCondition(
        tenantCtx(req, svc),
        req.params.conditionId,
        parseReroute(req.query.reroute_type, req.query.reroute_value),
      );
      return reply.code(204).send();
    },
  });
  done();
};
