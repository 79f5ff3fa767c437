import { ExplainCallBody, ExplainCallResultSchema } from '@pbx/contracts';
import { explainCall } from '@pbx/domain';
import { GatewayStateReader } from '@pbx/events-ingest/readers';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { tenantCtx } from '../http/context.js';
import { TenantParams, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

/** The route explainer ("try it"): a dry run of the routing engine on the tenant's configuration. */
export const explainRoutes: FastifyPluginCallbackZod<{ svc: Services; redis: Redis }> = (
  app,
  { svc, redis },
  done,
) => {
  // The trunks' states per node, as the controllers keep them (docs/trunks.md).
  const states = new GatewayStateReader(redis, svc.config.REDIS_PREFIX);
  const statesOf = (names: readonly string[]) => states.byGateway(names);
  app.post('/explain', {
    schema: {
      tags: ['routing'],
      summary:
        'What happens to a call: the route of a dialed number and the keys pressed in each IVR menu (no call is placed)',
      params: TenantParams,
      body: ExplainCallBody,
      response: withErrors({ 200: ExplainCallResultSchema }),
    },
    // A dry run changes nothing: a read-only key may ask.
    config: { access: 'tenant-admin', scope: 'READ' },
    handler: async (req) => explainCall(tenantCtx(req, svc), req.body, new Date(), statesOf),
  });
  done();
};
