// The controller's public shapes: what buildController takes (settings and dependencies) and what it returns.
import type { Db, DbHealth } from '@pbx/db';
import type { EslClient, EslClientOptions } from '@pbx/esl';
import type { TenantResolver } from '@pbx/events-ingest';
import type { ObjectStorage } from '@pbx/storage';
import type { GuardMirror, GuardPolicy, GuardStore } from '@pbx/events-ingest/guards';
import type { JobQueues } from '@pbx/jobs';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { HttpTimeouts } from '@pbx/config';
import type { ErrLogScan } from './cdr-errlog.js';
import type { ConfigPoll } from './config-poll.js';
import type { DirectoryFlusher } from './events/directory-flusher.js';
import type { EslNodeAddress } from './events/nodes.js';
import type { GatewayReloader } from './gateways/gateway-reloader.js';
import type { EventWiring } from './events/wire.js';
import type { FraudGate } from './guards/fraud-gate.js';
import type { SipGuard } from './guards/sip-guard.js';
import type { ControllerMetrics } from './metrics.js';
import type { SessionHandlers } from './outbound/dispatch.js';
import type { OutboundService } from './outbound/server.js';
import type { SnapshotLoader } from './snapshot-loader.js';
import type { TenantCache } from './tenant-cache.js';

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
  /** GATEWAY_SECRET_KEY decoded: decrypts trunk passwords for FreeSWITCH (null/absent: registering trunks are left out). */
  gatewayKey?: Buffer | null;
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
  guards?: {
    redis: Redis;
    policy?: GuardPolicy;
    unknownDomainLoadsPerMinute?: number;
    /** How long the outbound fraud check waits for Redis before letting the call through (default 500 ms). */
    fraudCheckTimeoutMs?: number;
  };
  /**
   * mod_json_cdr's err-log directory (CDR_ERRLOG_DIR): CDRs FreeSWITCH gave up posting are ingested from it every
   * `everyMs` and removed once committed (src/cdr-errlog.ts); omit to leave the directory alone.
   */
  cdrErrLog?: { dir: string; everyMs: number };
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
    /** The durable copies (STORAGE_BACKEND): a greeting recorded by phone is stored there as an uploaded one is. */
    storage: ObjectStorage;
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
  /** Reloads carrier trunks on every node (present with `deps.esl`). */
  trunks?: GatewayReloader;
  /** Resolves when every change received so far has been turned into flushes and those were answered. */
  flushIdle: () => Promise<void>;
  /** Present when `deps.guards` was given. */
  guard?: {
    sip: SipGuard;
    store: GuardStore;
    mirror: GuardMirror;
    fraud: FraudGate;
    idle: () => Promise<void>;
  };
  /** Polls PostgreSQL for changes while the Redis bus is down (present with `deps.subscriber`). */
  configPoll?: ConfigPoll | undefined;
  /** Present when `deps.outbound` was given. */
  outbound?: OutboundService;
  /** Present when `deps.cdrErrLog` was given: `scanNow()` runs (or joins) a scan of the err-log directory. */
  cdrErrLog?: { scanNow: () => Promise<ErrLogScan> };
};
