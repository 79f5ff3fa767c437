import { ConfigError } from '@pbx/config';
import { createDb } from '@pbx/db';
import { createJobsConnection } from '@pbx/jobs';
import { buildWorker } from './app.js';
import { loadWorkerConfig, workerDbPoolSize } from './config.js';
import { metricsServer } from './metrics-server.js';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const db = createDb({
    databaseUrl: config.DATABASE_URL,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    queryTimeoutMs: config.DB_QUERY_TIMEOUT_MS,
    poolSize: workerDbPoolSize(config),
  });
  const connection = createJobsConnection(config.REDIS_URL);
  const app = await buildWorker({
    config,
    prisma: db.prisma,
    connection,
    log: (l) => console.log(`[worker] ${l}`),
  });
  const server = metricsServer(app.metrics);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.WORKER_METRICS_PORT, config.WORKER_METRICS_HOST, resolve);
  });
  console.log(`[worker] processing queues: ${app.workers.map((w) => w.name).join(', ')}`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker] ${signal}: finishing running jobs`);
    await app.close(config.WORKER_SHUTDOWN_GRACE_MS);
    server.close();
    await connection.quit();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `[worker] ${error.message}` : error);
  process.exit(1);
});
