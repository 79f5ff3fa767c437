import {
  ApiKeyPage,
  ApiKeySchema,
  CreateApiKeyBody,
  CreatedApiKeySchema,
  ListApiKeysQuery,
  Uuid,
} from '@pbx/contracts';
import { createApiKey, getApiKey, listApiKeys, revokeApiKey } from '@pbx/domain';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { platformCtx } from '../http/context.js';
import { apiKeyDto } from '../http/mappers/accounts.js';
import { pageDto } from '../http/mappers/shared.js';
import { NoContent, WriteHeaders, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

const KeyParams = z.object({ keyId: Uuid });

export const apiKeyRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  const tags = ['api-keys'];

  app.get('/api-keys', {
    schema: {
      tags,
      summary: 'List API keys (tenant admins: their tenant; platform admins: all, or ?tenantId=)',
      querystring: ListApiKeysQuery,
      response: withErrors({ 200: ApiKeyPage }),
    },
    config: { access: 'admin' },
    handler: async (req) => {
      const { includeRevoked, ...rest } = req.query;
      return pageDto(
        await listApiKeys(platformCtx(req, svc), { ...rest, includeRevoked: includeRevoked === 'true' }),
        apiKeyDto,
      );
    },
  });

  app.post('/api-keys', {
    schema: {
      tags,
      summary:
        "Create an API key (needs API_KEYS; scopes at most the caller's); the key is in this response only",
      headers: WriteHeaders,
      body: CreateApiKeyBody,
      response: withErrors({ 201: CreatedApiKeySchema }),
    },
    config: { access: 'admin', scope: 'API_KEYS' },
    handler: async (req, reply) => {
      const { apiKey, key } = await createApiKey(platformCtx(req, svc), req.body);
      return reply.code(201).send({ ...apiKeyDto(apiKey), key });
    },
  });

  app.get('/api-keys/:keyId', {
    schema: {
      tags,
      summary: 'Get an API key (prefix only)',
      params: KeyParams,
      response: withErrors({ 200: ApiKeySchema }),
    },
    config: { access: 'admin' },
    handler: async (req) => apiKeyDto(await getApiKey(platformCtx(req, svc), req.params.keyId)),
  });

  app.delete('/api-keys/:keyId', {
    schema: {
      tags,
      summary: 'Revoke an API key and the keys it minted (they stay listed with revokedAt)',
      params: KeyParams,
      headers: WriteHeaders,
      response: withErrors({ 204: NoContent }),
    },
    config: { access: 'admin', scope: 'API_KEYS' },
    handler: async (req, reply) => {
      await revokeApiKey(platformCtx(req, svc), req.params.keyId);
      return reply.code(204).send();
    },
  });
  done();
};
