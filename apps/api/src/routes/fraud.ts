import { DialNumber, FraudBlockListSchema, FraudPolicySchema, UpdateFraudPolicyBody } from '@pbx/contracts';
import { getFraudPolicy, liftBlock, updateFraudPolicy } from '@pbx/domain';
import { FraudStore, GuardStore } from '@pbx/events-ingest/guards';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { liftedBy, tenantCtx } from '../http/context.js';
import { NoContent, TenantParams, WriteHeaders, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

const tags = ['fraud'];

const fraudStore = (svc: Services, redis: Redis) =>
  new FraudStore(redis, svc.config.REDIS_PREFIX, new GuardStore(redis, svc.config.REDIS_PREFIX));

/**
 * The outbound fraud policy (issue #14, docs/security.md): a tenant admin reads and changes its settings, sees the
 * extensions the velocity rule blocked and lifts them; the platform admin sees every block.
 */
export const tenantFraudRoutes: FastifyPluginCallbackZod<{ svc: Services; redis: Redis }> = (
  app,
  { svc, redis },
  done,
) => {
  const store = fraudStore(svc, redis);
  app.get('/fraud-policy', {
    schema: {
      tags,
      summary: 'The outbound fraud policy: country allow-list, caps, velocity rule, maximum call length',
      params: TenantParams,
      response: withErrors({ 200: FraudPolicySchema }),
    },
    config: { access: 'tenant-admin' },
    handler: (req) => getFraudPolicy(tenantCtx(req, svc)),
  });
  app.put('/fraud-policy', {
    schema: {
      tags,
      summary: 'Change the outbound fraud policy (fields left out keep their value; audited)',
      params: TenantParams,
      headers: WriteHeaders,
      body: UpdateFraudPolicyBody,
      response: withErrors({ 200: FraudPolicySchema }),
    },
    config: { access: 'tenant-admin' },
    handler: (req) => updateFraudPolicy(tenantCtx(req, svc), req.body),
  });
  app.get('/fraud/blocks', {
    schema: {
      tags,
      summary: 'Extensions whose external calls the velocity rule blocked, until when and why',
      params: TenantParams,
      response: withErrors({ 200: FraudBlockListSchema }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req) => ({ items: await store.list(Date.now(), req.params.tenantId) }),
  });
  app.delete('/fraud/blocks/:extension', {
    schema: {
      tags,
      summary: 'Let an extension call out again now (forgets its velocity window)',
      params: TenantParams.extend({ extension: DialNumber }),
      headers: WriteHeaders,
      response: withErrors({ 204: NoContent }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req, reply) => {
      const { tenantId, extension } = req.params;
      await liftBlock(tenantCtx(req, svc), { kind: 'fraud.extension', key: extension }, () =>
        store.lift(tenantId, extension, { at: Date.now(), by: liftedBy(req) }),
      );
      return reply.code(204).send();
    },
  });
  done();
};

export const platformFraudRoutes: FastifyPluginCallbackZod<{ svc: Services; redis: Redis }> = (
  app,
  { svc, redis },
  done,
) => {
  const store = fraudStore(svc, redis);
  app.get('/fraud/blocks', {
    schema: {
      tags,
      summary: "Every tenant's extensions blocked by the velocity rule",
      response: withErrors({ 200: FraudBlockListSchema }),
    },
    config: { access: 'platform' },
    handler: async () => ({ items: await store.list(Date.now()) }),
  });
  done();
};
