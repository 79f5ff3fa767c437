import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Form } from '../form.js';
import { CacheUnavailableError } from '../tenant-cache.js';
import type { LookupCounts } from './lookup-counts.js';
import type { Lookup } from './lookups.js';

/** A dialplan lookup posts ~7 KB (every channel variable); this leaves room for calls with many variables. */
const LOOKUP_BODY_LIMIT = 1024 * 1024;
const FORM = 'application/x-www-form-urlencoded';

/**
 * POST /freeswitch/directory and /freeswitch/dialplan (mod_xml_curl): ordinary Fastify routes, so every request the
 * controller reads goes through node:http's parser. The allow-list and basic auth are the app's onRequest hook, which
 * runs before the body is read (and counts its refusals of these paths). Each path's answers are counted by status
 * where they are sent: here, and in the error handler for what Fastify itself answers (413, a body it cannot parse).
 */
export async function registerLookupRoutes(
  app: FastifyInstance,
  deps: { routes: Record<string, Lookup>; counts: LookupCounts; logger: boolean },
): Promise<void> {
  await app.register((scope, _opts, done) => {
    // With a logger (production), Fastify makes a child logger per request (a pino child binding the request id)
    // although requests are not logged: the lookups log only failures, where the id of one of thousands of
    // requests tells nothing. Without a logger Fastify skips the child anyway, and a factory would cost more.
    if (deps.logger) scope.setChildLoggerFactory((logger) => logger);
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

    // What Fastify answers for these routes by itself (a body over the limit, one it cannot parse): answered by
    // the parent (default) handler, then counted with the status it chose.
    scope.setErrorHandler((error, req, reply) => {
      reply.send(error);
      deps.counts.countIfLookup(req.routeOptions.url, reply.statusCode);
    });

    const failed = (reply: FastifyReply, error: unknown, count: (status: number) => void): void => {
      // mod_xml_curl treats any non-200 as "no answer"; a 503 at least shows up in FreeSWITCH's log.
      if (error instanceof CacheUnavailableError) {
        reply.log.error({ err: error.message }, 'lookup failed and nothing cached');
        reply.code(503).type('text/plain').send('configuration temporarily unavailable\n');
        count(503);
        return;
      }
      reply.log.error({ err: error instanceof Error ? error.message : String(error) }, 'lookup failed');
      reply.code(500).type('text/plain').send('internal error\n');
      count(500);
    };

    for (const [path, lookup] of Object.entries(deps.routes)) {
      const count = deps.counts.path(path);
      const answer = (reply: FastifyReply, xml: string): void => {
        reply.type('text/xml').send(xml);
        count(200);
      };
      scope.post(
        path,
        { bodyLimit: LOOKUP_BODY_LIMIT },
        // A cached tenant is answered synchronously (no promise per lookup); only a cache miss or a feature code
        // waits. Nothing is returned: Fastify waits for reply.send.
        (req, reply) => {
          let out: string | Promise<string>;
          try {
            out = lookup(formOf(req));
          } catch (error) {
            failed(reply, error, count);
            return;
          }
          if (typeof out === 'string') {
            answer(reply, out);
            return;
          }
          void out.then(
            (xml) => answer(reply, xml),
            (error: unknown) => failed(reply, error, count),
          );
        },
      );
    }
    done();
  });
}
