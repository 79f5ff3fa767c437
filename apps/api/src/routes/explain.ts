import { ExplainCallBody, ExplainCallResultSchema } from '@pbx/contracts';
import { explainCall } from '@pbx/domain';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { tenantCtx } from '../http/context.js';
import { TenantParams, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

/** The route explainer ("try it"): a dry run of the routing engine on the tenant's configuration. */
export const explainRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
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
    handler: async (req) => explainCall(tenantCtx(req, svc), req.body),
  });
  done();
};
