// The abuse guards of one controller (docs/security.md): their Redis state, the in-memory mirror the directory
// checks before any database work, and the SIP guard that counts failures and flushes locked users.
import type { GuardPolicy } from '@pbx/events-ingest/guards';
import { GuardMirror, GuardStore } from '@pbx/events-ingest/guards';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Controller } from '../controller-types.js';
import type { ControllerMetrics } from '../metrics.js';
import type { TenantCache } from '../tenant-cache.js';
import { SipGuard } from './sip-guard.js';

export async function startGuards(
  app: FastifyInstance,
  g: { redis: Redis; policy?: GuardPolicy; unknownDomainLoadsPerMinute?: number },
  d: {
    subscriber: Redis | undefined;
    prefix: string;
    cache: TenantCache;
    metrics: ControllerMetrics;
    now: () => Date;
    /** Drops a locked user from FreeSWITCH's directory cache (the flusher exists once the ESL side is built). */
    flushUser: (user: { user: string; domain: string }) => unknown;
  },
): Promise<NonNullable<Controller['guard']>> {
  const store = new GuardStore(g.redis, d.prefix, g.policy);
  const nowMs = () => d.now().getTime();
  const mirror = new GuardMirror({ store, now: nowMs, log: app.log });
  const stopMirror = await mirror.start(d.subscriber, d.prefix);
  app.addHook('onClose', stopMirror);
  const sip = new SipGuard({
    store,
    mirror,
    cache: d.cache,
    metrics: d.metrics,
    log: app.log,
    now: nowMs,
    flushUser: d.flushUser,
    ...(g.unknownDomainLoadsPerMinute !== undefined
      ? { missesPerMinute: g.unknownDomainLoadsPerMinute }
      : {}),
  });
  return { sip, store, mirror, idle: () => Promise.resolve() };
}
