import { explainTrunks, type GatewayStatesOf } from '@pbx/domain';
import { ExplainRequestSchema, explainRoute, type TenantSnapshot } from '@pbx/domain/routing';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CacheUnavailableError, type TenantCache } from './tenant-cache.js';

/**
 * POST /explain: the route a call would take, from the same cached snapshot the dialplan lookups use, with the
 * trunks it would go out through and their states per node (`statesOf`, the controllers' Redis view).
 */
export function registerExplainRoute(
  app: FastifyInstance,
  cache: TenantCache,
  now: () => Date,
  statesOf: GatewayStatesOf,
): void {
  const unavailable = (reply: FastifyReply, error: unknown) => {
    if (!(error instanceof CacheUnavailableError)) throw error;
    reply.log.error({ err: error.message }, 'lookup failed and nothing cached');
    return reply.code(503).type('text/plain').send('configuration temporarily unavailable\n');
  };

  app.post('/explain', async (req, reply) => {
    const parsed = ExplainRequestSchema.safeParse(req.body);
    if (!parsed.success)
      return reply.code(400).send({ error: 'invalid request', issues: parsed.error.issues });
    let snapshot: TenantSnapshot | null;
    try {
      snapshot = await cache.getByDomain(parsed.data.domain.toLowerCase());
    } catch (error) {
      return unavailable(reply, error);
    }
    if (!snapshot) return reply.code(404).send({ error: 'unknown domain' });
    const explained = explainRoute(snapshot, parsed.data, now());
    const trunks = await explainTrunks(explained.trunks, statesOf);
    return {
      ...explained,
      trunks: explained.trunks.map((t, i) => ({ ...t, status: trunks.trunks[i]?.status ?? [] })),
      text: [...explained.text, ...trunks.text],
    };
  });
}
