import {
  ingestJsonCdr,
  InvalidCdrError,
  UnknownTenantError,
  type CdrWriter,
  type TenantResolver,
} from '@pbx/events-ingest';
import type { Db } from '@pbx/db';
import type { FastifyInstance } from 'fastify';
import type { ControllerMetrics } from './metrics.js';

/** mod_json_cdr sends one leg per POST; with many variables a leg is tens of kB, a long call's callflow more. */
const CDR_BODY_LIMIT = 8 * 1024 * 1024;

/**
 * POST /freeswitch/cdr (mod_json_cdr). 200 only once the row is committed (it may share a
 * multi-row statement with other rows, see CdrWriter: the answer still waits for that commit); 400 for
 * a body that is not a CDR and 422 for an unknown tenant (FreeSWITCH retries, then
 * keeps them in its err-log dir); 503 when the database fails, so it retries.
 * Registered inside the app, behind its allow-list and basic auth.
 */
export async function registerCdrRoute(
  app: FastifyInstance,
  deps: { prisma: Db; tenants: TenantResolver; metrics: ControllerMetrics; cdrWriter?: CdrWriter },
): Promise<void> {
  await app.register((scope, _opts, done) => {
    // Parsed by ingestJsonCdr itself, so a malformed body is its InvalidCdrError (400) like any other bad CDR.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: CDR_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    scope.post('/freeswitch/cdr', { bodyLimit: CDR_BODY_LIMIT }, async (req, reply) => {
      const status = (code: number) => {
        deps.metrics.cdrPosts.inc({ status: String(code) });
        return reply.code(code).type('text/plain');
      };
      const started = performance.now();
      try {
        await ingestJsonCdr({
          prisma: deps.prisma,
          body: req.body,
          tenants: deps.tenants,
          ...(deps.cdrWriter ? { writer: deps.cdrWriter } : {}),
        });
      } catch (error) {
        if (error instanceof InvalidCdrError) {
          req.log.warn({ err: error.message }, 'rejected a CDR post');
          return status(400).send(`${error.message}\n`);
        }
        if (error instanceof UnknownTenantError) {
          req.log.warn({ err: error.message, uuid: error.callUuid }, 'CDR of an unknown tenant');
          return status(422).send(`${error.message}\n`);
        }
        req.log.error({ err: error instanceof Error ? error.message : String(error) }, 'CDR write failed');
        return status(503).header('Retry-After', '5').send('temporarily unavailable\n');
      }
      deps.metrics.cdrWrite.observe({ source: 'json_cdr' }, (performance.now() - started) / 1000);
      return status(200).send('OK\n');
    });
    done();
  });
}
