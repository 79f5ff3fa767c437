import { timingSafeEqual } from 'node:crypto';
import type { Db } from '@pbx/db';
import { EslClient, type EslClientOptions } from '@pbx/esl';
import { CdrWriter, createTenantResolver, type TenantResolver } from '@pbx/events-ingest';
import type { JobQueues } from '@pbx/jobs';
import {
  ExplainRequestSchema,
  explainRoute,
  findExtension,
  routeCall,
  type Caller,
  type RouteStep,
  type TenantSnapshot,
} from '@pbx/domain/routing';
import Fastify, {
  LogController,
  type HookHandlerDoneFunction,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Redis } from 'ioredis';
import { allowListOf, parseCidrList } from './allow-list.js';
import { registerCdrRoute } from './cdr-route.js';
import type { EslNodeAddress } from './events/nodes.js';
import { sendMwi, subscribeVoicemailChanged } from './events/mwi.js';
import { SUBSCRIBED_EVENTS, SUBSCRIBED_SUBCLASSES, wireEvents, type EventWiring } from './events/wire.js';
import { controllerMetrics, type ControllerMetrics } from './metrics.js';
import { renderDialplan, UnsafeValue } from './dialplan.js';
import { renderUser } from './directory.js';
import { applyFeature } from './features.js';
import { Form } from './form.js';
import { subscribeInvalidation } from './invalidation.js';
import { prismaSnapshotLoader, type SnapshotLoader } from './snapshot-loader.js';
import { CacheUnavailableError, TenantCache } from './tenant-cache.js';
import { DOMAIN_RE, EXTENSION_RE } from './text.js';
import { NOT_FOUND } from './xml.js';

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
};

export type ControllerDeps = {
  settings: ControllerSettings;
  prisma: Db;
  /** Connection used only for SUBSCRIBE (ConfigChanged); omit to run without invalidation. */
  subscriber?: Redis;
  /** Connection used to publish ConfigChanged after a feature code changed an extension. */
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
};

export type Controller = {
  app: FastifyInstance;
  cache: TenantCache;
  metrics: ControllerMetrics;
  /** Present when `deps.esl` was given. */
  esl?: EslClient;
  events?: EventWiring;
};

const XML = 'text/xml';
const DID_DIGITS_RE = /^[1-9]\d{5,14}$/;

/** Builds the controller's HTTP side: the mod_xml_curl directory and dialplan, and the route explainer. */
export async function buildController(deps: ControllerDeps): Promise<Controller> {
  const s = deps.settings;
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    logger: deps.logger === undefined ? false : deps.logger,
    bodyLimit: 1024 * 1024,
    // Every REGISTER and call is a request: log problems, not traffic.
    logController: new LogController({ disableRequestLogging: true }),
    // FreeSWITCH opens a new connection per lookup; keep-alive buys nothing.
    keepAliveTimeout: 5_000,
    // mod_xml_curl gives up after its own timeout (3 s); a request that trickles in longer is not FreeSWITCH.
    requestTimeout: 10_000,
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

  const allowed = allowListOf(parseCidrList(s.xmlCurlAllow));
  const expected = Buffer.from(
    `Basic ${Buffer.from(`${s.xmlCurlUser}:${s.xmlCurlPassword}`).toString('base64')}`,
  );
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
    const got = Buffer.from(req.headers.authorization ?? '');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
      reply
        .code(401)
        .header('WWW-Authenticate', 'Basic realm="pbx-controller"')
        .type('text/plain')
        .send('unauthorized\n');
      return;
    }
    done();
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, new Form(body as string));
  });

  const formOf = (req: FastifyRequest): Form => (req.body instanceof Form ? req.body : new Form(''));

  const unavailable = (reply: FastifyReply, error: unknown) => {
    // mod_xml_curl treats any non-200 as "no answer"; a 503 at least shows up in FreeSWITCH's log.
    if (!(error instanceof CacheUnavailableError)) throw error;
    reply.log.error({ err: error.message }, 'lookup failed and nothing cached');
    return reply.code(503).type('text/plain').send('configuration temporarily unavailable\n');
  };

  // The xml_curl handlers answer synchronously when the tenant is cached (every lookup but the first per tenant):
  // no promise and no extra turn of the event loop per request. Only a cache miss or a feature code waits.
  const userAnswer = (
    snapshot: TenantSnapshot | null,
    user: string,
    action: 'sip_auth' | 'user_call',
  ): string => {
    if (!snapshot || snapshot.tenant.status !== 'ACTIVE') return NOT_FOUND;
    const ext = findExtension(snapshot, user);
    if (!ext?.enabled) return NOT_FOUND;
    return renderUser(snapshot, ext, action);
  };

  app.post('/freeswitch/directory', (req, reply) => {
    const f = formOf(req);
    reply.type(XML);
    const action = f.get('action');
    if (
      f.get('section') !== 'directory' ||
      f.has('purpose') ||
      (action !== 'sip_auth' && action !== 'user_call')
    )
      return NOT_FOUND;
    const domain = (f.last('domain') ?? f.get('key_value') ?? '').toLowerCase();
    const keyValue = f.get('key_value')?.toLowerCase();
    const user = f.last('user') ?? '';
    // The user is looked up only inside the domain FreeSWITCH asked for; nothing else is trusted. Two different
    // `domain` or `user` fields mean a realm tried to plant one (see Form.last): refuse.
    if (
      !DOMAIN_RE.test(domain) ||
      (keyValue && keyValue !== domain) ||
      f.get('domain')?.toLowerCase() !== domain ||
      f.get('user') !== user ||
      f.last('key') !== 'id' ||
      !EXTENSION_RE.test(user)
    )
      return NOT_FOUND;
    const snapshot = cache.lookupDomain(domain);
    if (!(snapshot instanceof Promise)) return userAnswer(snapshot, user, action);
    return snapshot.then(
      (s) => userAnswer(s, user, action),
      (error: unknown) => unavailable(reply, error),
    );
  });

  type DialplanLookup = { context: string; destination: string; caller: Caller };
  const render = (steps: RouteStep[], q: DialplanLookup): string =>
    renderDialplan(steps, {
      context: q.context,
      destination: q.destination,
      recordingsDir: s.recordingsDir,
      outboundSocket: s.outboundSocketAddress,
    });
  const reject = (q: DialplanLookup, note: string): string =>
    render(
      [
        { kind: 'note', text: note },
        { kind: 'set', name: 'pbx_route_result', value: 'UNALLOCATED' },
        { kind: 'hangup', cause: 'UNALLOCATED_NUMBER', reason: 'UNALLOCATED' },
      ],
      q,
    );
  const renderRoute = (req: FastifyRequest, steps: RouteStep[], q: DialplanLookup): string => {
    try {
      return render(steps, q);
    } catch (error) {
      if (!(error instanceof UnsafeValue)) throw error;
      req.log.error({ err: error.message }, 'refused to render an unsafe dialplan');
      return reject(q, 'unsafe value');
    }
  };
  const withFeatures = async (
    req: FastifyRequest,
    snapshot: TenantSnapshot,
    steps: RouteStep[],
    q: DialplanLookup,
  ): Promise<string> => {
    for (const step of steps) {
      if (step.kind !== 'feature') continue;
      try {
        await applyFeature(
          { prisma: deps.prisma, cache, publisher: deps.publisher, redisPrefix: s.redisPrefix },
          snapshot,
          step.feature,
        );
      } catch (error) {
        req.log.error({ err: error instanceof Error ? error.message : String(error) }, 'feature code failed');
        return render([{ kind: 'hangup', cause: 'NETWORK_OUT_OF_ORDER' }], q);
      }
    }
    return renderRoute(req, steps, q);
  };
  const dialplanAnswer = (
    req: FastifyRequest,
    snapshot: TenantSnapshot | null,
    q: DialplanLookup,
  ): string | Promise<string> => {
    if (!snapshot) return reject(q, `no tenant for context ${q.context}`);
    const route = routeCall({
      snapshot,
      context: q.context === 'public' ? 'public' : 'tenant',
      caller: q.caller,
      destination: q.destination,
      now: now(),
    });
    for (const step of route.steps)
      if (step.kind === 'feature') return withFeatures(req, snapshot, route.steps, q);
    return renderRoute(req, route.steps, q);
  };

  app.post('/freeswitch/dialplan', (req, reply) => {
    const f = formOf(req);
    reply.type(XML);
    if (f.get('section') !== 'dialplan') return NOT_FOUND;
    const context = f.get('Hunt-Context') ?? f.get('Caller-Context') ?? '';
    const destination = f.get('Hunt-Destination-Number') ?? f.get('Caller-Destination-Number') ?? '';
    if (context === '' || destination === '') return NOT_FOUND;
    let snapshot: TenantSnapshot | null | Promise<TenantSnapshot | null>;
    let caller: Caller;
    if (context === 'public') {
      const digits = destination.startsWith('+') ? destination.slice(1) : destination;
      snapshot = DID_DIGITS_RE.test(digits) ? cache.lookupDid(`+${digits}`) : null;
      caller = { kind: 'external', number: f.get('Caller-Caller-ID-Number') ?? '' };
    } else {
      snapshot = DOMAIN_RE.test(context) ? cache.lookupDomain(context) : null;
      // Authenticated phones carry their directory identity; the domain must be this very context.
      const user = f.get('variable_user_name');
      const userDomain = f.get('variable_domain_name')?.toLowerCase();
      caller =
        user && userDomain === context && EXTENSION_RE.test(user)
          ? { kind: 'extension', number: user }
          : { kind: 'external', number: f.get('Caller-Caller-ID-Number') ?? '' };
    }
    const q: DialplanLookup = { context, destination, caller };
    if (!(snapshot instanceof Promise)) return dialplanAnswer(req, snapshot, q);
    return snapshot.then(
      (found) => dialplanAnswer(req, found, q),
      (error: unknown) => unavailable(reply, error),
    );
  });

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

  if (deps.subscriber) {
    const stop = await subscribeInvalidation(deps.subscriber, s.redisPrefix, cache, app.log);
    app.addHook('onClose', async () => {
      await stop();
    });
  }

  const metrics = controllerMetrics();
  const tenants = deps.tenants ?? createTenantResolver(deps.prisma);
  // One CDR batcher for both paths: mod_json_cdr posts and hang-up events share its statements.
  const batchRows = metrics.cdrBatchRows.labels({});
  const cdrWriter = new CdrWriter({ prisma: deps.prisma, onBatch: (b) => batchRows.observe(b.rows) });
  await registerCdrRoute(app, { prisma: deps.prisma, tenants, metrics, cdrWriter });
  app.get('/metrics', async (_req, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(await metrics.registry.render()),
  );

  if (!deps.esl) return { app, cache, metrics };
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
      (c) => sendMwi({ prisma: deps.prisma, esl }, c),
      app.log,
    );
  app.addHook('onClose', async () => {
    // No new events, then let the ones in hand finish before the database goes.
    esl.close();
    events.stop();
    await events.idle();
    await stopMwi?.();
  });
  esl.start();
  return { app, cache, metrics, esl, events };
}
