import { CreateUserBody, ListUsersQuery, UpdateUserBody, UserPage, UserSchema, Uuid } from '@pbx/contracts';
import { createUser, deleteUser, getUser, listUsers, updateUser, versionOf } from '@pbx/domain';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { ifMatch, tenantCtx } from '../http/context.js';
import { userDto } from '../http/mappers/accounts.js';
import { pageDto } from '../http/mappers/shared.js';
import { NoContent, TenantParams, UpdateHeaders, WriteHeaders, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

const UserParams = TenantParams.extend({ userId: Uuid });

export const userRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  const tags = ['users'];
  const config = { access: 'tenant-admin' } as const;
  const writeConfig = { access: 'tenant-admin', scope: 'USERS' } as const;

  app.get('/users', {
    schema: {
      tags,
      summary: 'List portal users of the tenant',
      params: TenantParams,
      querystring: ListUsersQuery,
      response: withErrors({ 200: UserPage }),
    },
    config,
    handler: async (req) => pageDto(await listUsers(tenantCtx(req, svc), req.query), userDto),
  });

  app.post('/users', {
    schema: {
      tags,
      summary: 'Create a portal user',
      params: TenantParams,
      headers: WriteHeaders,
      body: CreateUserBody,
      response: withErrors({ 201: UserSchema }),
    },
    config: writeConfig,
    handler: async (req, reply) => {
      const user = await createUser(tenantCtx(req, svc), req.body);
      return reply.code(201).header('etag', versionOf(user)).send(userDto(user));
    },
  });

  app.get('/users/:userId', {
    schema: { tags, summary: 'Get a user', params: UserParams, response: withErrors({ 200: UserSchema }) },
    config,
    handler: async (req, reply) => {
      const user = await getUser(tenantCtx(req, svc), req.params.userId);
      return reply.header('etag', versionOf(user)).send(userDto(user));
    },
  });

  app.patch('/users/:userId', {
    schema: {
      tags,
      summary: 'Change a user (only the fields sent); a new password ends their sessions',
      params: UserParams,
      headers: UpdateHeaders,
      body: UpdateUserBody,
      response: withErrors({ 200: UserSchema }),
    },
    config: writeConfig,
    handler: async (req, reply) => {
      const user = await updateUser(tenantCtx(req, svc), req.params.userId, req.body, ifMatch(req));
      return reply.header('etag', versionOf(user)).send(userDto(user));
    },
  });

  app.delete('/users/:userId', {
    schema: {
      tags,
      summary: 'Delete a user',
      params: UserParams,
      headers: WriteHeaders,
      response: withErrors({ 204: NoContent }),
    },
    config: writeConfig,
    handler: async (req, reply) => {
      await deleteUser(tenantCtx(req, svc), req.params.userId);
      return reply.code(204).send();
    },
  });
  done();
};
