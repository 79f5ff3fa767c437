import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { allowListOf, parseCidrList } from './allow-list.js';
import { basicAuthCheck } from './basic-auth.js';
import { capConnectionsPerAddress } from './connection-cap.js';
import type { ControllerSettings } from './controller-types.js';
import type { ControllerMetrics } from './metrics.js';

const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;

/**
 * Who may reach the controller's HTTP side at all: a per-address connection cap, then FreeSWITCH's address
 * allow-list and basic auth on every request, lookups included, before any route runs. `onRefused` hears of every
 * 401 and 403 with the URL of the route asked for (undefined when none matched).
 */
export function guardHttpAccess(
  app: FastifyInstance,
  s: ControllerSettings,
  metrics: ControllerMetrics,
  onRefused: (route: string | undefined, status: 401 | 403) => void = () => {},
): void {
  const refused = metrics.connectionsRefused.labels({ reason: 'per_address_cap' });
  const allowed = allowListOf(parseCidrList(s.xmlCurlAllow));
  // The allow-list is judged once per connection, when it is accepted (its address cannot change), with the
  // address the cap read; each request then only asks whether its connection was admitted. mod_xml_curl opens a
  // connection per lookup, so this is per lookup too, but it is one judgement for a kept-alive connection.
  const admitted = new WeakSet<Socket>();
  capConnectionsPerAddress(
    app.server,
    s.maxConnectionsPerAddress ?? DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
    () => refused.inc(),
    (socket, address) => {
      if (allowed(address)) admitted.add(socket);
    },
  );
  /** Basic auth for every route, lookups included. */
  const authorized = basicAuthCheck(s.xmlCurlUser, s.xmlCurlPassword);
  // Callback style: a request that passes goes on synchronously, without a promise per request.
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!admitted.has(req.socket)) {
      req.log.warn(
        { ip: req.socket.remoteAddress },
        'xml_curl request from an address outside the allow-list',
      );
      reply.code(403).type('text/plain').send('forbidden\n');
      onRefused(req.routeOptions.url, 403);
      return;
    }
    if (!authorized(req.headers.authorization)) {
      reply
        .code(401)
        .header('WWW-Authenticate', 'Basic realm="pbx-controller"')
        .type('text/plain')
        .send('unauthorized\n');
      onRefused(req.routeOptions.url, 401);
      return;
    }
    done();
  });
}
