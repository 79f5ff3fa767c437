import { createDb } from '@pbx/db';
import { Redis } from 'ioredis';
import { buildController } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfig();
const db = createDb({ databaseUrl: config.DATABASE_URL });
const subscriber = new Redis(config.REDIS_URL, { lazyConnect: true });
const publisher = new Redis(config.REDIS_URL, { lazyConnect: true });
await Promise.all([subscriber.connect(), publisher.connect()]);

const { app } = await buildController({
  settings: {
    xmlCurlUser: config.XML_CURL_USER,
    xmlCurlPassword: config.XML_CURL_PASSWORD,
    xmlCurlAllow: config.XML_CURL_ALLOW,
    recordingsDir: config.RECORDINGS_DIR,
    outboundSocketAddress: config.OUTBOUND_SOCKET_ADDRESS,
    redisPrefix: config.REDIS_PREFIX,
    negativeCacheMs: config.NEGATIVE_CACHE_SEC * 1000,
  },
  prisma: db.prisma,
  subscriber,
  publisher,
  logger: { level: config.LOG_LEVEL },
});

await app.listen({ host: config.CONTROLLER_HTTP_HOST, port: config.CONTROLLER_HTTP_PORT });

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  try {
    await app.close();
    await Promise.allSettled([subscriber.quit(), publisher.quit(), db.close()]);
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error instanceof Error ? error.message : String(error) }, 'error during shutdown');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
