import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { allowListOf, parseCidrList } from './allow-list.js';
import { basicAuthCheck } from './basic-auth.js';
import { capConnectionsPerAddress } from './connection-cap.js';
import type { ControllerSettings } from './controller-types.js';
import type { ControllerMetrics } from './metrics.js';

const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;

/**
 * Who may reach the controller's HTTP side at all: a per-address connection cap, then FreeSWITCH's address
 * allow-list and basic auth on every request, lookups included, before any route runs.
 */
export function guardHttpAccess(
  app: FastifyInstance,
  s: ControllerSettings,
  metrics: ControllerMetrics,
): void {
  const refused = metrics.connectionsRefused.labels({ reason: 'per_address_cap' });
  capConnectionsPerAddress(
    app.server,
    s.maxConnectionsPerAddress ?? DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
    () => refused.inc(),
  );
  const allowed = allowListOf(parseCidrList(s.xmlCurlAllow));
  /** Basic auth for every route, lookups included. */
  const authorized = basicAuthCheck(s.xmlCurlUser, s.xmlCurlPassword);
  // Callback style: a request that passes goes on synchronously, without a promise per request.
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!allowed(req.socket.remoteAddress)) {
      req.log.warn(
        { ip: req.socket.remoteAddress },
        'xml_curl request from an address outside the allow-list',
      );
      reply.code(403).type('text/plain').send('forbidden\n');
      return;
    }
    if (!authorized(req.headers.authorization)) {
      reply
        .code(401)
        .header('WWW-Authenticate', 'Basic realm="pbx-controller"')
        .type('text/plain')
        .send('unauthorized\n');
      return;
    }
    done();
  });
}
