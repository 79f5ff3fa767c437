// The outbound event socket: FreeSWITCH's `socket <OUTBOUND_SOCKET_ADDRESS> async full` connects here for every
// IVR and voicemail call. One session per call: read the dialplan's variables, find the tenant, hand the call to
// the runtime its `pbx_app` names (dispatch.ts), close the socket when that runtime returns.
import type { AddressInfo } from 'node:net';
import type { TenantSnapshot } from '@pbx/domain/routing';
import { EslCommandError, EslError, EslOutboundServer, type OutboundCall } from '@pbx/esl';
import type { TenantResolver } from '@pbx/events-ingest';
import type { MediaLayout } from '@pbx/media';
import type { FastifyBaseLogger } from 'fastify';
import type { ControllerMetrics } from '../metrics.js';
import type { TenantCache } from '../tenant-cache.js';
import { dispatchSession, refuseCall, type SessionHandlers } from './dispatch.js';
import { readSessionVars } from './session.js';

export type OutboundDeps = {
  listen: { host: string; port: number };
  media: MediaLayout;
  handlers: SessionHandlers;
  tenants: TenantResolver;
  cache: TenantCache;
  log: FastifyBaseLogger;
  metrics: ControllerMetrics;
  /** Adapter time-outs (mostly for tests). */
  commandTimeoutMs?: number;
};

export type OutboundService = {
  server: EslOutboundServer;
  address: AddressInfo;
  /** Sessions whose handler is still running. */
  sessions: () => number;
  /** Graceful stop (see EslOutboundServer.drain); resolves with how many calls had to be cut short. */
  stop: (drainMs: number) => Promise<{ closed: number }>;
};

/** The caller hung up (or FreeSWITCH went away) under a command: an ordinary end of a session, not a fault. */
function isCallGone(call: OutboundCall, err: unknown): boolean {
  if (call.hasEnded) return true;
  if (err instanceof EslCommandError) return err.reply.startsWith('-ERR invalid session id');
  return (
    err instanceof EslError &&
    (err.code === 'HANGUP' || err.code === 'DISCONNECTED' || err.code === 'NOT_CONNECTED')
  );
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function startOutboundServer(d: OutboundDeps): Promise<OutboundService> {
  let running = 0;

  const tenantOf = async (tenantId: string): Promise<TenantSnapshot | null> => {
    const ref = await d.tenants.byId(tenantId);
    if (!ref) return null;
    const snapshot = await d.cache.getByDomain(ref.domain);
    // The cache is keyed by domain: a domain renamed meanwhile must not lead to another tenant.
    if (snapshot?.tenant.id !== tenantId || snapshot.tenant.status !== 'ACTIVE') return null;
    return snapshot;
  };

  const session = async (call: OutboundCall): Promise<void> => {
    running++;
    d.metrics.outboundSessions.set(running);
    const log = d.log.child({ call: call.uuid });
    let app = 'unknown';
    let outcome = 'done';
    try {
      const vars = readSessionVars(call);
      if (!vars) {
        outcome = 'refused';
        log.warn('outbound session: the dialplan variables are missing or malformed');
        return await refuseCall(call, d);
      }
      app = d.handlers[vars.pbx_app] ? vars.pbx_app : 'unsupported';
      const tenant = await tenantOf(vars.pbx_tenant_id);
      if (!tenant) {
        outcome = 'refused';
        log.warn({ tenantId: vars.pbx_tenant_id }, 'outbound session: no active tenant with this id');
        return await refuseCall(call, d);
      }
      await dispatchSession(d.handlers, call, {
        vars,
        tenant,
        media: d.media,
        log,
        draining: server.draining,
      });
    } catch (err) {
      if (isCallGone(call, err)) {
        outcome = 'hangup';
        log.debug({ err: message(err) }, 'outbound session: the call ended');
      } else {
        outcome = 'failed';
        log.error({ err: message(err) }, 'outbound session failed');
        await refuseCall(call, d).catch(() => undefined);
      }
    } finally {
      running--;
      d.metrics.outboundSessions.set(running);
      d.metrics.outboundSessionsTotal.inc({ app, outcome });
      call.close();
    }
  };

  const server = new EslOutboundServer({
    host: d.listen.host,
    port: d.listen.port,
    handler: session,
    // The runtimes only wait for their commands and the hang-up (nothing uses OutboundCall.onEvent).
    channelEvents: [],
    ...(d.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: d.commandTimeoutMs }),
    onError: (err) => {
      // A caller who hangs up during the handshake is ordinary; anything else is worth a look.
      if (err instanceof EslError && (err.code === 'DISCONNECTED' || err.code === 'NOT_CONNECTED'))
        d.log.debug({ err: err.message }, 'outbound socket: connection ended during the handshake');
      else d.log.warn({ err: message(err) }, 'outbound socket error');
    },
  });
  const address = await server.listen();
  return {
    server,
    address,
    sessions: () => running,
    stop: (drainMs) => server.drain(drainMs),
  };
}
