import { FailedJobListSchema, FailedJobQuerySchema } from '@pbx/contracts';
import { listFailedJobs } from '@pbx/jobs/failed';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

/**
 * Background jobs that failed for good (retries used up, a permanent error, a worker that died too often), for the
 * platform admin: payloads name tenants and files of every tenant, so no tenant role may read them.
 */
export const platformJobRoutes: FastifyPluginCallbackZod<{ svc: Services; redis: Redis }> = (
  app,
  { svc, redis },
  done,
) => {
  app.get('/jobs/failed', {
    schema: {
      tags: ['operations'],
      summary: 'Failed background jobs (voicemail e-mails, recordings, housekeeping), newest first',
      querystring: FailedJobQuerySchema,
      response: withErrors({ 200: FailedJobListSchema }),
    },
    config: { access: 'platform' },
    handler: async (req) => ({
      items: await listFailedJobs(redis, svc.config.REDIS_PREFIX, req.query),
    }),
  });
  done();
};
