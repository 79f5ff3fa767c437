// The abuse guards of one controller (docs/security.md): their Redis state, the in-memory mirror the directory
// checks before any database work, and the SIP guard that counts failures and flushes locked users.
import { FraudStore, GuardMirror, GuardStore } from '@pbx/events-ingest/guards';
import { mediaLayout } from '@pbx/media';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Controller, ControllerDeps } from '../controller-types.js';
import type { RefusalPrompts } from '../dialplan.js';
import type { ControllerMetrics } from '../metrics.js';
import type { TenantCache } from '../tenant-cache.js';
import { FraudGate } from './fraud-gate.js';
import { SipGuard } from './sip-guard.js';

export async function startGuards(
  app: FastifyInstance,
  g: NonNullable<ControllerDeps['guards']>,
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
  const fraud = new FraudGate({
    store: new FraudStore(g.redis, d.prefix, store),
    metrics: d.metrics,
    log: app.log,
    now: d.now,
    ...(g.fraudCheckTimeoutMs !== undefined ? { timeoutMs: g.fraudCheckTimeoutMs } : {}),
  });
  return { sip, store, mirror, fraud, idle: () => Promise.resolve() };
}

/** The announcements of refused external calls: built-in prompts under MEDIA_DIR. */
export function refusalPrompts(mediaDir: string): RefusalPrompts {
  const media = mediaLayout(mediaDir);
  return {
    barred: media.prompt('outbound-barred'),
    busy: media.prompt('outbound-busy'),
    lineBlocked: media.prompt('outbound-line-blocked'),
  };
}
