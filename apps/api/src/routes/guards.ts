import {
  DialNumber,
  GuardAlertListSchema,
  GuardBlockKindSchema,
  GuardBlockListSchema,
  TrustedNetworksSchema,
  type GuardBlock,
} from '@pbx/contracts';
import { liftBlock } from '@pbx/domain';
import { GuardStore } from '@pbx/events-ingest/guards';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { liftedBy, platformCtx, tenantCtx } from '../http/context.js';
import { TenantParams, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

const tags = ['guards'];
const AlertQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1_000).optional() });

/** `ipset restore` input: the set (created if missing), then each banned address with the seconds left. */
export function ipsetCommands(blocks: readonly GuardBlock[], at: number): string {
  const lines = ['create pbx-banned hash:ip family inet timeout 3600 -exist'];
  lines.push('create pbx-banned6 hash:ip family inet6 timeout 3600 -exist');
  for (const b of blocks) {
    if (b.kind !== 'address') continue;
    const left = Math.max(1, Math.ceil((Date.parse(b.until) - at) / 1000));
    lines.push(`add ${b.key.includes(':') ? 'pbx-banned6' : 'pbx-banned'} ${b.key} timeout ${left} -exist`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The abuse guards (issue #14), read from the controllers' Redis state: the platform admin sees and lifts every
 * block and alert and fetches the firewall list; a tenant admin sees and lifts its own users' locks, reads its
 * alerts and sets its trusted networks.
 */
export const platformGuardRoutes: FastifyPluginCallbackZod<{ svc: Services; redis: Redis }> = (
  app,
  { svc, redis },
  done,
) => {
  const store = new GuardStore(redis, svc.config.REDIS_PREFIX);
  app.get('/guard/blocks', {
    schema: {
      tags,
      summary: 'Banned addresses and locked SIP users in force, with reasons and failure counts',
      response: withErrors({ 200: GuardBlockListSchema }),
    },
    config: { access: 'platform' },
    handler: async () => ({ items: await store.list(Date.now()) }),
  });
  app.delete('/guard/blocks/:kind/:key', {
    schema: {
      tags,
      summary: 'Lift a block now (key: the address, or user@domain)',
      params: z.strictObject({ kind: GuardBlockKindSchema, key: z.string().min(1).max(300) }),
      response: withErrors({ 204: z.null() }),
    },
    config: { access: 'platform' },
    handler: async (req, reply) => {
      const { kind, key } = req.params;
      await liftBlock(platformCtx(req, svc), { kind: `guard.${kind}`, key }, () =>
        store.lift(kind, key, { at: Date.now(), by: liftedBy(req) }),
      );
      return reply.code(204).send(null);
    },
  });
  app.get('/guard/alerts', {
    schema: {
      tags,
      summary: 'Bans, locks, lifts and fraud blocks of the whole platform, newest first',
      querystring: AlertQuery,
      response: withErrors({ 200: GuardAlertListSchema }),
    },
    config: { access: 'platform' },
    handler: async (req) => ({ items: await store.alerts(null, req.query.limit) }),
  });
  app.get('/guard/firewall.ipset', {
    schema: {
      tags,
      summary:
        'The banned addresses as `ipset restore` input (sets pbx-banned and pbx-banned6, entries time out with their ban); see docs/security.md',
      response: withErrors({
        200: { description: 'text/plain', content: { 'text/plain': { schema: z.string() } } },
      }),
    },
    config: { access: 'platform' },
    handler: async (_req, reply) => {
      const at = Date.now();
      return reply.type('text/plain; charset=utf-8').send(ipsetCommands(await store.list(at), at));
    },
  });
  done();
};

export const tenantGuardRoutes: FastifyPluginCallbackZod<{ svc: Services; redis: Redis }> = (
  app,
  { svc, redis },
  done,
) => {
  const store = new GuardStore(redis, svc.config.REDIS_PREFIX);
  const tenantOf = (req: FastifyRequest) => {
    if (!req.tenant) throw new Error('tenant route without a tenant');
    return req.tenant;
  };
  app.get('/guard/locks', {
    schema: {
      tags,
      summary: "The tenant's SIP users locked after repeated authentication failures",
      params: TenantParams,
      response: withErrors({ 200: GuardBlockListSchema }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req) => ({ items: await store.list(Date.now(), tenantOf(req).id) }),
  });
  app.delete('/guard/locks/:extension', {
    schema: {
      tags,
      summary: "Unlock one of the tenant's SIP users now",
      params: TenantParams.extend({ extension: DialNumber }),
      response: withErrors({ 204: z.null() }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req, reply) => {
      const ctx = tenantCtx(req, svc);
      const key = `${req.params.extension}@${ctx.domain}`;
      await liftBlock(ctx, { kind: 'guard.user', key }, () =>
        store.lift('user', key, { at: Date.now(), by: liftedBy(req), tenantId: ctx.tenantId }),
      );
      return reply.code(204).send(null);
    },
  });
  app.get('/guard/alerts', {
    schema: {
      tags,
      summary: "Locks of the tenant's users, lifts, fraud blocks and emergency calls, newest first",
      params: TenantParams,
      querystring: AlertQuery,
      response: withErrors({ 200: GuardAlertListSchema }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req) => ({ items: await store.alerts(tenantOf(req).id, req.query.limit) }),
  });
  app.get('/guard/trusted-networks', {
    schema: {
      tags,
      summary: 'Networks whose failures never ban them for this tenant (e.g. the office)',
      params: TenantParams,
      response: withErrors({ 200: TrustedNetworksSchema }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req) => ({ networks: await store.trustedNetworks(tenantOf(req).id) }),
  });
  app.put('/guard/trusted-networks', {
    schema: {
      tags,
      summary: "Replace the tenant's trusted networks (CIDRs)",
      params: TenantParams,
      body: TrustedNetworksSchema,
      response: withErrors({ 200: TrustedNetworksSchema }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req) => {
      const t = tenantOf(req);
      await store.setTrustedNetworks(t.id, req.body.networks);
      return { networks: await store.trustedNetworks(t.id) };
    },
  });
  done();
};
