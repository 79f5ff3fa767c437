import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Form } from '../form.js';
import type { ControllerMetrics } from '../metrics.js';
import { CacheUnavailableError } from '../tenant-cache.js';
import type { Lookup } from './lookups.js';

/** A dialplan lookup posts ~7 KB (every channel variable); this leaves room for calls with many variables. */
const LOOKUP_BODY_LIMIT = 1024 * 1024;
const FORM = 'application/x-www-form-urlencoded';

/**
 * POST /freeswitch/directory and /freeswitch/dialplan (mod_xml_curl): ordinary Fastify routes, so every request the
 * controller reads goes through node:http's parser. The allow-list and basic auth are the app's onRequest hook, which
 * runs before the body is read. Registered inside the app; each path's answers are counted by status.
 */
export async function registerLookupRoutes(
  app: FastifyInstance,
  deps: { routes: Record<string, Lookup>; metrics: ControllerMetrics },
): Promise<void> {
  await app.register((scope, _opts, done) => {
    // The body stays the raw string, wrapped in a Form that finds the handful of fields a lookup reads on demand:
    // a dialplan lookup posts ~190 fields, and a full parse (querystring, @fastify/formbody) would decode them all
    // into an object for every call. Form also decodes the way FreeSWITCH encodes and tells the first occurrence
    // of a field from the last, which the directory's checks rely on.
    scope.addContentTypeParser(
      FORM,
      { parseAs: 'string', bodyLimit: LOOKUP_BODY_LIMIT },
      (_req, body, next) => next(null, new Form(body as string)),
    );
    const empty = new Form('');
    const formOf = (req: FastifyRequest): Form => (req.body instanceof Form ? req.body : empty);

    const failed = (reply: FastifyReply, error: unknown): FastifyReply => {
      // mod_xml_curl treats any non-200 as "no answer"; a 503 at least shows up in FreeSWITCH's log.
      if (error instanceof CacheUnavailableError) {
        reply.log.error({ err: error.message }, 'lookup failed and nothing cached');
        return reply.code(503).type('text/plain').send('configuration temporarily unavailable\n');
      }
      reply.log.error({ err: error instanceof Error ? error.message : String(error) }, 'lookup failed');
      return reply.code(500).type('text/plain').send('internal error\n');
    };

    for (const [path, lookup] of Object.entries(deps.routes)) {
      // One series per status, resolved once: a dozen statuses at most.
      const series = new Map<number, { inc: (by?: number) => void }>();
      const count = (status: number) => {
        let s = series.get(status);
        if (!s) {
          s = deps.metrics.xmlCurlLookups.labels({ path, status: String(status) });
          series.set(status, s);
        }
        s.inc();
      };
      scope.post(
        path,
        {
          bodyLimit: LOOKUP_BODY_LIMIT,
          // Route-level, so it also counts the 401s and 403s the app's onRequest hook sends for this path.
          onResponse: (_req, reply, next) => {
            count(reply.statusCode);
            next();
          },
        },
        // A cached tenant is answered synchronously (no promise per lookup); only a cache miss or a feature code
        // waits. Nothing is returned: Fastify waits for reply.send.
        (req, reply) => {
          reply.type('text/xml');
          let out: string | Promise<string>;
          try {
            out = lookup(formOf(req));
          } catch (error) {
            failed(reply, error);
            return;
          }
          if (typeof out === 'string') {
            reply.send(out);
            return;
          }
          void out.then(
            (xml) => reply.send(xml),
            (error: unknown) => failed(reply, error),
          );
        },
      );
    }
    done();
  });
}
