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
  // The peer address is read once per connection, by the cap when the connection is accepted (a getpeername
  // system call: expensive on virtual machines); net.Socket keeps it, so the allow-list below reads it from memory,
  // and its verdict per address is remembered. mod_xml_curl opens a connection per lookup, so judging at the
  // 'connection' event instead would save nothing, and a per-socket mark (a WeakSet) costs more than this check.
  capConnectionsPerAddress(
    app.server,
    s.maxConnectionsPerAddress ?? DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
    () => refused.inc(),
  );
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
