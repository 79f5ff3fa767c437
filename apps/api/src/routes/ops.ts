import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Services } from '../http/types.js';
import type { HttpMetrics } from '../plugins/metrics.js';

const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.string()).optional(),
});

const within = <T>(ms: number, work: Promise<T>) =>
  Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref()),
  ]);

/** Liveness, readiness (PostgreSQL and Redis) and Prometheus metrics; never rate limited. */
export const opsRoutes: FastifyPluginCallbackZod<{ svc: Services; redis: Redis; metrics: HttpMetrics }> = (
  app,
  { svc, redis, metrics },
  done,
) => {
  const tags = ['operations'];
  const config = { access: 'public', rateLimit: false } as const;

  app.get('/healthz', {
    schema: { tags, security: [], summary: 'Liveness: the process is up', response: { 200: Health } },
    config,
    handler: () => ({ status: 'ok' as const }),
  });

  app.get('/readyz', {
    schema: {
      tags,
      security: [],
      summary: 'Readiness: PostgreSQL and Redis answer',
      response: { 200: Health, 503: Health },
    },
    config,
    handler: async (_req, reply) => {
      const check = async (work: () => Promise<unknown>) => {
        try {
          await within(2_000, work());
          return 'ok';
        } catch {
          return 'unavailable';
        }
      };
      const checks = {
        postgres: await check(() => svc.db.$queryRaw`SELECT 1`),
        redis: await check(() => redis.ping()),
      };
      const ok = Object.values(checks).every((c) => c === 'ok');
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
    },
  });

  app.get('/metrics', {
    schema: {
      tags,
      security: [],
      summary: 'Prometheus metrics: request counts and durations by route and status',
      response: {
        200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } },
      },
    },
    config,
    handler: async (_req, reply) => reply.type(metrics.contentType).send(await metrics.registry.render()),
  });
  done();
};
