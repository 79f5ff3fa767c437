import { timingSafeEqual } from 'node:crypto';
import type { Db, DbHealth } from '@pbx/db';
import { EslClient, type EslClientOptions } from '@pbx/esl';
import { CdrWriter, createTenantResolver, type TenantResolver } from '@pbx/events-ingest';
import type { JobQueues } from '@pbx/jobs';
import { ExplainRequestSchema, explainRoute, type TenantSnapshot } from '@pbx/domain/routing';
import Fastify, {
  LogController,
  type HookHandlerDoneFunction,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Redis } from 'ioredis';
import { fastifyTimeouts, type HttpTimeouts } from '@pbx/config';
import { allowListOf, parseCidrList } from './allow-list.js';
import { registerCdrRoute } from './cdr-route.js';
import { capConnectionsPerAddress } from './connection-cap.js';
import type { EslNodeAddress } from './events/nodes.js';
import { sendMwi, subscribeVoicemailChanged } from './events/mwi.js';
import { SUBSCRIBED_EVENTS, SUBSCRIBED_SUBCLASSES, wireEvents, type EventWiring } from './events/wire.js';
import { controllerMetrics, type ControllerMetrics } from './metrics.js';
import { directoryFlushHooks } from './directory-flush.js';
import { evictCrossRealmRegistrations } from './events/cross-realm.js';
import { DirectoryFlusher, eslFlushNodes } from './events/directory-flusher.js';
import { configPoll as createConfigPoll, type ConfigPoll } from './config-poll.js';
import { subscribeInvalidation } from './invalidation.js';
import { controllerNotifier } from './notify.js';
import { prismaSnapshotLoader, type SnapshotLoader } from './snapshot-loader.js';
import { CacheUnavailableError, TenantCache } from './tenant-cache.js';
import { createLookups } from './xml-curl/lookups.js';
import { GuardMirror, GuardStore, type GuardPolicy } from '@pbx/events-ingest/guards';
import { wireAuthFailures } from './events/auth-failures.js';
import { SipGuard } from './guards/sip-guard.js';
import type { SessionHandlers } from './outbound/dispatch.js';
import { outboundRuntimes } from './outbound/runtimes.js';
import { startOutboundServer, type OutboundService } from './outbound/server.js';
import { mediaLayout } from '@pbx/media';
import { registerLookupRoutes } from './xml-curl/routes.js';
import { transferTokens } from './xml-curl/transfer-token.js';

export type ControllerSettings = {
  xmlCurlUser: string;
  xmlCurlPassword: string;
  /** Comma-separated CIDRs allowed to call the xml_curl endpoints. */
  xmlCurlAllow: string;
  recordingsDir: string;
  outboundSocketAddress: string;
  redisPrefix: string;
  negativeCacheMs?: number;
  maxCacheAgeMs?: number;
  loadTimeoutMs?: number;
  retryAfterMs?: number;
  /** Slow-client time-outs (defaults: whole request and head 10 s, idle keep-alive 5 s). */
  timeouts?: Partial<HttpTimeouts>;
  /** Connections one address may hold open; more are closed at once (default 256). */
  maxConnectionsPerAddress?: number;
  /** `cacheable` of every directory answer, ms (default 1,800,000; see config.ts DIRECTORY_CACHE_MS). */
  directoryCacheMs?: number;
  /** While the Redis bus is down, how often PostgreSQL is polled for changes (default 5,000 ms; CONFIG_POLL_MS). */
  configPollMs?: number;
};

export type ControllerDeps = {
  settings: ControllerSettings;
  prisma: Db;
  /** The pool behind `prisma` (createDb's `health`), shown in /metrics. */
  dbHealth?: DbHealth;
  /** Connection used only for SUBSCRIBE (ConfigChanged); omit to run without invalidation. */
  subscriber?: Redis;
  /** Connection used to publish ConfigChanged (and VoicemailChanged) after a feature code changed an extension. */
  publisher?: Redis;
  loader?: SnapshotLoader;
  now?: () => Date;
  logger?: boolean | { level: string };
  /** The event-socket side (events → CDRs, registrations, live calls, recordings; MWI); omit to run only HTTP. */
  esl?: {
    nodes: readonly EslNodeAddress[];
    password: string;
    /** Command connection for the registration and live-call stores. */
    redis: Redis;
    queues: Pick<JobQueues, 'enqueue' | 'queue'>;
    /** Adapter tuning (time-outs, back-off), mostly for tests. */
    options?: Omit<EslClientOptions, 'nodes' | 'events' | 'subclasses'>;
  };
  /** Shared tenant lookups for ingestion (one per process); created if omitted. */
  tenants?: TenantResolver;
  /**
   * The abuse guards (issue #14): a command connection for their Redis state. Blocks are counted from the event
   * socket's sofia::register_failure and enforced in the directory; omit to run without them (some tests).
   */
  guards?: { redis: Redis; policy?: GuardPolicy; unknownDomainLoadsPerMinute?: number };
  /** The outbound event socket (IVR menus, voicemail); omit to run without it. */
  outbound?: {
    /** MEDIA_DIR: prompts and greetings, the same path on every FreeSWITCH node. */
    mediaDir: string;
    /** Where to listen; default `settings.outboundSocketAddress` (what the dialplan hands FreeSWITCH). */
    listen?: { host: string; port: number };
    /** On close, how long sessions in progress may go on (default 20 s, OUTBOUND_DRAIN_SEC). */
    drainMs?: number;
    /** Where voicemail e-mail jobs go (the worker sends them). */
    queues: Pick<JobQueues, 'enqueue'>;
    /** Runtimes by pbx_app in addition to (or replacing) the built-in ones (`ivr`, `voicemail`). */
    handlers?: SessionHandlers;
    commandTimeoutMs?: number;
  };
};

export type Controller = {
  app: FastifyInstance;
  cache: TenantCache;
  metrics: ControllerMetrics;
  /** Present when `deps.esl` was given. */
  esl?: EslClient;
  events?: EventWiring;
  /** Flushes FreeSWITCH's directory cache on every node (present with `deps.esl`). */
  flusher?: DirectoryFlusher;
  /** Resolves when every change received so far has been turned into flushes and those were answered. */
  flushIdle: () => Promise<void>;
  /** Present when `deps.guards` was given. */
  guard?: { sip: SipGuard; store: GuardStore; mirror: GuardMirror; idle: () => Promise<void> };
  /** Polls PostgreSQL for changes while the Redis bus is down (present with `deps.subscriber`). */
  configPoll?: ConfigPoll | undefined;
  /** Present when `deps.outbound` was given. */
  outbound?: OutboundService;
};

/** `host:port` or `[v6]:port` (config.ts checks the shape). */
export function parseSocketAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(address.slice(at + 1)) };
}

const DEFAULT_TIMEOUTS: HttpTimeouts = {
  requestTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
};
const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;
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
  const refused = metrics.connectionsRefused.labels({ reason: 'per_address_cap' });
  capConnectionsPerAddress(
    app.server,
    s.maxConnectionsPerAddress ?? DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
    () => refused.inc(),
  );
  const allowed = allowListOf(parseCidrList(s.xmlCurlAllow));
  const expected = Buffer.from(
    `Basic ${Buffer.from(`${s.xmlCurlUser}:${s.xmlCurlPassword}`).toString('base64')}`,
  );
  /** Basic auth for every route, lookups included; constant time for a header of the right length. */
  const authorized = (header: string | undefined): boolean => {
    const got = Buffer.from(header ?? '');
    return got.length === expected.length && timingSafeEqual(got, expected);
  };
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

  // Built with the ESL side below; the Redis subscription that feeds it starts first.
  const flushing: { flusher?: DirectoryFlusher } = {};
  let guard: Controller['guard'];
  if (deps.guards) {
    const store = new GuardStore(deps.guards.redis, s.redisPrefix, deps.guards.policy);
    const nowMs = () => now().getTime();
    const mirror = new GuardMirror({ store, now: nowMs, log: app.log });
    const stopMirror = await mirror.start(deps.subscriber, s.redisPrefix);
    app.addHook('onClose', stopMirror);
    const sip = new SipGuard({
      store,
      mirror,
      cache,
      metrics,
      log: app.log,
      now: nowMs,
      flushUser: (u) => flushing.flusher?.flushUsers([u]),
      ...(deps.guards.unknownDomainLoadsPerMinute !== undefined
        ? { missesPerMinute: deps.guards.unknownDomainLoadsPerMinute }
        : {}),
    });
    guard = { sip, store, mirror, idle: () => Promise.resolve() };
  }

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
    ...(guard ? { guard: guard.sip } : {}),
  });
  await registerLookupRoutes(app, {
    routes: { '/freeswitch/directory': lookups.directory, '/freeswitch/dialplan': lookups.dialplan },
    metrics,
  });

  const unavailable = (reply: FastifyReply, error: unknown) => {
    if (!(error instanceof CacheUnavailableError)) throw error;
    reply.log.error({ err: error.message }, 'lookup failed and nothing cached');
    return reply.code(503).type('text/plain').send('configuration temporarily unavailable\n');
  };

  app.post('/explain', async (req, reply) => {
    const parsed = ExplainRequestSchema.safeParse(req.body);
    if (!parsed.success)
      return reply.code(400).send({ error: 'invalid request', issues: parsed.error.issues });
    let snapshot: TenantSnapshot | null;
    try {
      snapshot = await cache.getByDomain(parsed.data.domain.toLowerCase());
    } catch (error) {
      return unavailable(reply, error);
    }
    if (!snapshot) return reply.code(404).send({ error: 'unknown domain' });
    return explainRoute(snapshot, parsed.data, now());
  });

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
    const polls = metrics.configPolls.labels({});
    const poll = createConfigPoll({
      prisma: deps.prisma,
      cache,
      hooks: flushHooks,
      pollMs: s.configPollMs ?? DEFAULT_CONFIG_POLL_MS,
      log: app.log,
      onPoll: () => polls.inc(),
    });
    configPoll = poll;
    // The bus is up only while the subscriber is connected; messages sent meanwhile are lost (ready resyncs).
    const up = () => {
      metrics.configBusUp.set({}, 1);
      poll.busUp();
    };
    const down = () => {
      metrics.configBusUp.set({}, 0);
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
  const batchRows = metrics.cdrBatchRows.labels({});
  const rowsFailed = metrics.cdrRowsFailed.labels({});
  const cdrWriter = new CdrWriter({
    prisma: deps.prisma,
    onBatch: (b) => {
      batchRows.observe(b.rows);
      if (b.failed > 0) rowsFailed.inc(b.failed);
    },
  });
  metrics.registry.onCollect(async () => {
    metrics.cdrPending.set({}, cdrWriter.pending);
    const db = deps.dbHealth;
    if (!db) return;
    const p = db.pool();
    for (const [state, n] of Object.entries(p)) metrics.dbConnections.set({ state }, n);
    metrics.dbSilentDestroyed.set({}, db.silentConnectionsDestroyed());
    await Promise.resolve();
  });
  await registerCdrRoute(app, { prisma: deps.prisma, tenants, metrics, cdrWriter });
  app.get('/metrics', async (_req, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(await metrics.registry.render()),
  );

  let outbound: OutboundService | undefined;
  if (deps.outbound) {
    const o = deps.outbound;
    // IVR and voicemail first need no event-socket connection of ours: FreeSWITCH connects to us per call.
    outbound = await startOutboundServer({
      listen: o.listen ?? parseSocketAddress(s.outboundSocketAddress),
      media: mediaLayout(o.mediaDir),
      handlers: {
        ...outboundRuntimes({
          prisma: deps.prisma,
          notify,
          media: mediaLayout(o.mediaDir),
          transferTokens: tokens,
          queues: o.queues,
          log: app.log,
          now,
        }),
        ...o.handlers,
      },
      tenants,
      cache,
      log: app.log,
      metrics,
      ...(o.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: o.commandTimeoutMs }),
    });
    const service = outbound;
    // Before the HTTP side stops: a caller leaving a menu is transferred, and that needs a dialplan lookup.
    app.addHook('preClose', async () => {
      const { closed } = await service.stop(o.drainMs ?? 20_000);
      if (closed > 0)
        app.log.warn({ closed }, 'outbound socket: calls still in a session at shutdown were handed back');
    });
  }

  const extras = { configPoll, ...(guard ? { guard } : {}), ...(outbound ? { outbound } : {}) };
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
    stopMwi = await subscribeVoicemailChanged(
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
  const failures = guard ? wireAuthFailures(esl, guard.sip, app.log) : undefined;
  if (guard && failures) guard.idle = failures.idle;
  app.addHook('onClose', async () => {
    stopFlusher();
    stopEvicting();
    failures?.stop();
    await failures?.idle();
    // No new events, then let the ones in hand finish before the database goes.
    esl.close();
    events.stop();
    await events.idle();
    await stopMwi?.();
  });
  esl.start();
  return { app, cache, metrics, esl, events, flusher, flushIdle, ...extras };
}
