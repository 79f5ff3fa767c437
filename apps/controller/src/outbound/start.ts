// The outbound event socket of one controller: FreeSWITCH connects here per IVR or voicemail call
// (`socket <OUTBOUND_SOCKET_ADDRESS> async full`), and a shutdown lets sessions in progress finish first.
import type { Db } from '@pbx/db';
import type { ChangeNotifier } from '@pbx/domain';
import type { TenantResolver } from '@pbx/events-ingest';
import { mediaLayout } from '@pbx/media';
import type { FastifyInstance } from 'fastify';
import type { ControllerDeps } from '../controller-types.js';
import type { ControllerMetrics } from '../metrics.js';
import type { TenantCache } from '../tenant-cache.js';
import type { TransferTokens } from '../xml-curl/transfer-token.js';
import { outboundRuntimes } from './runtimes.js';
import { startOutboundServer, type OutboundService } from './server.js';

/** `host:port` or `[v6]:port` (config.ts checks the shape). */
export function parseSocketAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(address.slice(at + 1)) };
}

export async function startOutbound(
  app: FastifyInstance,
  o: NonNullable<ControllerDeps['outbound']>,
  d: {
    /** OUTBOUND_SOCKET_ADDRESS, used when `o.listen` is not given. */
    address: string;
    prisma: Db;
    notify: ChangeNotifier;
    transferTokens: TransferTokens;
    tenants: TenantResolver;
    cache: TenantCache;
    metrics: ControllerMetrics;
    now: () => Date;
  },
): Promise<OutboundService> {
  const media = mediaLayout(o.mediaDir);
  // IVR and voicemail need no event-socket connection of ours: FreeSWITCH connects to us per call.
  const service = await startOutboundServer({
    listen: o.listen ?? parseSocketAddress(d.address),
    media,
    handlers: {
      ...outboundRuntimes({
        prisma: d.prisma,
        notify: d.notify,
        media,
        transferTokens: d.transferTokens,
        queues: o.queues,
        storage: o.storage,
        log: app.log,
        now: d.now,
      }),
      ...o.handlers,
    },
    tenants: d.tenants,
    cache: d.cache,
    log: app.log,
    metrics: d.metrics,
    ...(o.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: o.commandTimeoutMs }),
  });
  // Before the HTTP side stops: a caller leaving a menu is transferred, and that needs a dialplan lookup.
  app.addHook('preClose', async () => {
    const { closed } = await service.stop(o.drainMs ?? 20_000);
    if (closed > 0)
      app.log.warn({ closed }, 'outbound socket: calls still in a session at shutdown were handed back');
  });
  return service;
}
