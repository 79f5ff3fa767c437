import { EslClient } from '@pbx/esl';
import type { GatewayNodeState } from '@pbx/contracts';
import { CdrWriter, GatewayStateReader, createTenantResolver } from '@pbx/events-ingest';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { fastifyTimeouts, type HttpTimeouts } from '@pbx/config';
import { wireCdrErrLog } from './cdr-errlog.js';
import { registerCdrRoute } from './cdr-route.js';
import { registerExplainRoute } from './explain-route.js';
import { guardHttpAccess } from './http-access.js';
import { sendMwi, subscribeVoicemailChanged } from './events/mwi.js';
import { SUBSCRIBED_EVENTS, SUBSCRIBED_SUBCLASSES, wireEvents } from './events/wire.js';
import { controllerMetrics } from './metrics.js';
import { METRICS_CONTENT_TYPE, mirrorCounter } from '@pbx/metrics';
import { directoryFlushHooks } from './directory-flush.js';
import { evictCrossRealmRegistrations } from './events/cross-realm.js';
import { DirectoryFlusher, eslFlushNodes } from './events/directory-flusher.js';
import { configPoll as createConfigPoll, type ConfigPoll } from './config-poll.js';
import { subscribeInvalidation } from './invalidation.js';
import { controllerNotifier } from './notify.js';
import { prismaSnapshotLoader } from './snapshot-loader.js';
import { TenantCache } from './tenant-cache.js';
import { createLookups } from './xml-curl/lookups.js';
import { wireAuthFailures } from './events/auth-failures.js';
import { EmergencyAlerts } from './guards/emergency-alert.js';
import { refusalPrompts, startGuards } from './guards/start.js';
import { startOutbound } from './outbound/start.js';
import { registerLookupRoutes } from './xml-curl/routes.js';
import { LookupCounts } from './xml-curl/lookup-counts.js';
import { sofiaConfigLookup } from './gateways/sofia-gateways.js';
import { wireGatewayReloads } from './gateways/wire-gateways.js';
import { transferTokens } from './xml-curl/transfer-token.js';

import type { Controller, ControllerDeps } from './controller-types.js';

export type { Controller, ControllerDeps, ControllerSettings } from './controller-types.js';
const DEFAULT_TIMEOUTS: HttpTimeouts = {
  requestTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
};
const DEFAULT_DIRECTORY_CACHE_MS = 1_800_000;
const DEFAULT_CONFIG_POLL_MS = 5_000;

/** Builds the controller's HTTP side: the mod_xml_curl directory and dialplan, and the route explainer. */
export async function buildController(deps: ControllerDeps): Promise<Controller> {
  const s = deps.settings;
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    logger: deps.logger === undefined ? false : deps.logger,
    bodyLimit: 1024 * 1024,
    // Every REGISTER and call is a request: log problems, not traffic.
    logController: new LogController({ disableRequestLogging: true }),
    // mod_xml_curl gives up after its own time-out (3 s): a request that trickles in for longer is not FreeSWITCH.
    // FreeSWITCH opens a new connection per lookup, so keep-alive buys little.
    ...fastifyTimeouts({ ...DEFAULT_TIMEOUTS, ...s.timeouts }),
  }) as unknown as FastifyInstance;
  const cache = new TenantCache(deps.loader ?? prismaSnapshotLoader(deps.prisma), {
    negativeTtlMs: s.negativeCacheMs ?? 30_000,
    maxAgeMs: s.maxCacheAgeMs ?? 300_000,
    loadTimeoutMs: s.loadTimeoutMs ?? 1_500,
    retryAfterMs: s.retryAfterMs ?? 2_000,
    // Every lookup asks; without an injected clock that need not allocate a Date.
    now: deps.now ? () => now().getTime() : Date.now,
    onStale: (key, error) =>
      app.log.warn(
        { key, err: error instanceof Error ? error.message : String(error) },
        'database unavailable: serving cached copy',
      ),
  });

  const metrics = controllerMetrics();
  const lookupCounts = new LookupCounts(metrics);
  guardHttpAccess(app, s, metrics, (route, status) => lookupCounts.countIfLookup(route, status));

  // Built with the ESL side below; the Redis subscription that feeds it starts first.
  const flushing: { flusher?: DirectoryFlusher } = {};
  const guard = deps.guards
    ? await startGuards(app, deps.guards, {
        subscriber: deps.subscriber,
        prefix: s.redisPrefix,
        cache,
        metrics,
        now,
        flushUser: (u) => flushing.flusher?.flushUsers([u]),
      })
    : undefined;

  const tokens = transferTokens(s.xmlCurlPassword);
  const notify = controllerNotifier(cache, deps.publisher, s.redisPrefix, () => app.log);
  const lookups = createLookups({
    cache,
    prisma: deps.prisma,
    notify,
    recordingsDir: s.recordingsDir,
    outboundSocket: s.outboundSocketAddress,
    now,
    log: app.log,
    directoryCacheMs: s.directoryCacheMs ?? DEFAULT_DIRECTORY_CACHE_MS,
    transferTokens: tokens,
    onCrossTenant: (field) => metrics.crossTenantRefused.inc({ field }),
    ...(guard ? { guard: guard.sip, fraud: guard.fraud } : {}),
    emergency: new EmergencyAlerts({ store: guard?.store ?? null, log: app.log, now }),
    ...(deps.outbound ? { refusalPrompts: refusalPrompts(deps.outbound.mediaDir) } : {}),
  });
  await registerLookupRoutes(app, {
    routes: {
      '/freeswitch/directory': lookups.directory,
      '/freeswitch/dialplan': lookups.dialplan,
      '/freeswitch/configuration': sofiaConfigLookup({
        prisma: deps.prisma,
        key: s.gatewayKey ?? null,
        log: app.log,
      }),
    },
    counts: lookupCounts,
    logger: deps.logger !== undefined && deps.logger !== false,
  });

  // Without Redis (tests of the lookups alone) no state is known.
  const gatewayStates = deps.publisher ? new GatewayStateReader(deps.publisher, s.redisPrefix) : null;
  registerExplainRoute(app, cache, now, (names) =>
    gatewayStates ? gatewayStates.byGateway(names) : Promise.resolve(new Map<string, GatewayNodeState[]>()),
  );

  const flushHooks = directoryFlushHooks(
    cache,
    () => flushing.flusher,
    (error) =>
      app.log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'directory flush: could not load the changed tenant',
      ),
  );
  const flushIdle = async () => {
    await flushHooks.idle();
    await flushing.flusher?.idle();
  };
  let configPoll: ConfigPoll | undefined;
  if (deps.subscriber) {
    const subscriber = deps.subscriber;
    const { stop, ready } = subscribeInvalidation(subscriber, s.redisPrefix, cache, app.log, flushHooks);
    // Changes published once this resolves are seen (tests rely on it); with Redis down it resolves at the first
    // failed connection attempt.
    await ready;
    const poll = createConfigPoll({
      prisma: deps.prisma,
      cache,
      hooks: flushHooks,
      pollMs: s.configPollMs ?? DEFAULT_CONFIG_POLL_MS,
      log: app.log,
      onPoll: () => metrics.configPolls.inc(),
    });
    configPoll = poll;
    // The bus is up only while the subscriber is connected; messages sent meanwhile are lost (ready resyncs).
    const up = () => {
      metrics.configBusUp.set(1);
      poll.busUp();
    };
    const down = () => {
      metrics.configBusUp.set(0);
      poll.busDown();
    };
    subscriber.on('ready', up);
    subscriber.on('close', down);
    if (subscriber.status === 'ready') up();
    else down();
    app.addHook('onClose', async () => {
      subscriber.off('ready', up);
      subscriber.off('close', down);
      poll.stop();
      await stop();
    });
  }

  const tenants = deps.tenants ?? createTenantResolver(deps.prisma);
  // One CDR batcher for both paths: mod_json_cdr posts and hang-up events share its statements.
  const cdrWriter = new CdrWriter({
    prisma: deps.prisma,
    onBatch: (b) => {
      metrics.cdrBatchRows.observe(b.rows);
      if (b.failed > 0) metrics.cdrRowsFailed.inc(b.failed);
    },
  });
  metrics.registry.onCollect(() => {
    metrics.cdrPending.set(cdrWriter.pending);
    const db = deps.dbHealth;
    if (!db) return;
    const p = db.pool();
    for (const [state, n] of Object.entries(p)) metrics.dbConnections.set({ state }, n);
    mirrorCounter(metrics.dbSilentDestroyed, [[{}, db.silentConnectionsDestroyed()]]);
  });
  await registerCdrRoute(app, { prisma: deps.prisma, tenants, metrics, cdrWriter });
  const cdrErrLog =
    deps.cdrErrLog &&
    wireCdrErrLog(app, { ...deps.cdrErrLog, prisma: deps.prisma, tenants, writer: cdrWriter, metrics });
  app.get('/metrics', async (_req, reply) =>
    reply.type(METRICS_CONTENT_TYPE).send(await metrics.registry.render()),
  );

  const outbound = deps.outbound
    ? await startOutbound(app, deps.outbound, {
        address: s.outboundSocketAddress,
        prisma: deps.prisma,
        notify,
        transferTokens: tokens,
        tenants,
        cache,
        metrics,
        now,
      })
    : undefined;

  const extras = {
    configPoll,
    ...(guard ? { guard } : {}),
    ...(outbound ? { outbound } : {}),
    ...(cdrErrLog ? { cdrErrLog } : {}),
  };
  if (!deps.esl) return { app, cache, metrics, flushIdle, ...extras };
  const e = deps.esl;
  const esl = new EslClient({
    ...e.options,
    nodes: e.nodes.map((n) => ({ ...n, password: e.password })),
    events: SUBSCRIBED_EVENTS,
    subclasses: SUBSCRIBED_SUBCLASSES,
  });
  const events = wireEvents({
    esl,
    prisma: deps.prisma,
    redis: e.redis,
    redisPrefix: s.redisPrefix,
    tenants,
    queues: e.queues,
    metrics,
    log: app.log,
    cdrWriter,
  });
  const recordings = e.queues.queue('recordingProcess');
  metrics.registry.onCollect(async () => {
    const counts = await recordings.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    for (const [state, n] of Object.entries(counts)) metrics.recordingsQueue.set({ state }, n);
  });
  let stopMwi: (() => Promise<void>) | undefined;
  if (deps.subscriber)
    stopMwi = subscribeVoicemailChanged(
      deps.subscriber,
      s.redisPrefix,
      (c) =>
        sendMwi(
          {
            prisma: deps.prisma,
            esl,
            registrations: {
              listByExtension: (tenantId, ext) => events.registrations.listByExtension(tenantId, ext),
              nodeIdOf: (node) => events.nodeIdOf(node),
            },
          },
          c,
        ),
      app.log,
    );
  const flusher = new DirectoryFlusher({ nodes: eslFlushNodes(esl), metrics, log: app.log });
  flushing.flusher = flusher;
  const stopFlusher = flusher.start();
  const stopEvicting = evictCrossRealmRegistrations({ esl, metrics, log: app.log });
  const trunks = wireGatewayReloads(esl, deps.subscriber, s.redisPrefix, app.log);
  const failures = guard ? wireAuthFailures(esl, guard.sip, app.log) : undefined;
  if (guard && failures) guard.idle = failures.idle;
  app.addHook('onClose', async () => {
    stopFlusher();
    stopEvicting();
    await trunks.stop();
    failures?.stop();
    await failures?.idle();
    // No new events, then let the ones in hand finish before the database goes.
    esl.close();
    events.stop();
    await events.idle();
    await stopMwi?.();
  });
  esl.start();
  return { app, cache, metrics, esl, events, flusher, trunks: trunks.reloader, flushIdle, ...extras };
}
