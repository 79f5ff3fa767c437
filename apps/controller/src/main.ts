import { ConfigError, httpTimeoutsOf } from '@pbx/config';
import { createDb } from '@pbx/db';
import { secretKeyFrom } from '@pbx/domain';
import { createJobQueues, createJobsConnection } from '@pbx/jobs';
import { ensurePromptSet, mediaLayout } from '@pbx/media';
import { createStorage } from '@pbx/storage';
import { Redis } from 'ioredis';
import { buildController } from './app.js';
import { loadConfig } from './config.js';

// A bad environment is one line naming the variable, not a stack trace.
const config = (() => {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
})();
// The built-in prompts IVR menus and voicemail play: generated here when missing or out of date, so a
// controller never answers calls it has no prompts for (a missing espeak-ng stops start-up, naming it).
try {
  await ensurePromptSet(mediaLayout(config.MEDIA_DIR));
} catch (error) {
  console.error(`cannot prepare the prompts: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const db = createDb({
  databaseUrl: config.DATABASE_URL,
  statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
  queryTimeoutMs: config.DB_QUERY_TIMEOUT_MS,
});
// Redis is not awaited: lookups need only PostgreSQL, so the controller starts and answers without it. ioredis
// keeps reconnecting; meanwhile config changes are polled from PostgreSQL (CONFIG_POLL_MS, pbx_config_bus_up 0),
// and commands fail at once instead of queueing (the subscriber queues its SUBSCRIBE until connected).
const subscriber = new Redis(config.REDIS_URL);
const publisher = new Redis(config.REDIS_URL, { enableOfflineQueue: false });
const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false });
for (const r of [subscriber, publisher, redis]) r.on('error', () => undefined);
const jobsConnection = createJobsConnection(config.REDIS_URL);
const queues = createJobQueues({ connection: jobsConnection, prefix: config.REDIS_PREFIX });
const storage = createStorage(config);

const { app } = await buildController({
  settings: {
    xmlCurlUser: config.XML_CURL_USER,
    xmlCurlPassword: config.XML_CURL_PASSWORD,
    xmlCurlAllow: config.XML_CURL_ALLOW,
    recordingsDir: config.RECORDINGS_DIR,
    outboundSocketAddress: config.OUTBOUND_SOCKET_ADDRESS,
    redisPrefix: config.REDIS_PREFIX,
    negativeCacheMs: config.NEGATIVE_CACHE_SEC * 1000,
    timeouts: httpTimeoutsOf('CONTROLLER_HTTP', config),
    maxConnectionsPerAddress: config.CONTROLLER_HTTP_MAX_CONNECTIONS_PER_ADDRESS,
    directoryCacheMs: config.DIRECTORY_CACHE_MS,
    configPollMs: config.CONFIG_POLL_MS,
    gatewayKey: secretKeyFrom(config.GATEWAY_SECRET_KEY),
  },
  prisma: db.prisma,
  dbHealth: db.health,
  subscriber,
  publisher,
  logger: { level: config.LOG_LEVEL },
  esl: { nodes: config.ESL_NODES, password: config.ESL_PASSWORD, redis, queues },
  // The abuse guards are on for every tenant (docs/security.md).
  guards: { redis },
  outbound: { mediaDir: config.MEDIA_DIR, drainMs: config.OUTBOUND_DRAIN_SEC * 1000, queues, storage },
  ...(config.CDR_ERRLOG_DIR
    ? { cdrErrLog: { dir: config.CDR_ERRLOG_DIR, everyMs: config.CDR_ERRLOG_SCAN_MS } }
    : {}),
});

await app.listen({ host: config.CONTROLLER_HTTP_HOST, port: config.CONTROLLER_HTTP_PORT });

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  // IVR and voicemail calls in progress get OUTBOUND_DRAIN_SEC to finish; the rest of the shutdown 10 s.
  const force = setTimeout(() => process.exit(1), config.OUTBOUND_DRAIN_SEC * 1000 + 10_000);
  force.unref();
  try {
    // Closes the ESL connections and waits for the events in hand to be written.
    await app.close();
    await queues.close();
    storage.close();
    await Promise.allSettled([
      subscriber.quit(),
      publisher.quit(),
      redis.quit(),
      jobsConnection.quit(),
      db.close(),
    ]);
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error instanceof Error ? error.message : String(error) }, 'error during shutdown');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
