import type { Socket } from 'node:net';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.js';

export type Db = PrismaClient;

/** What a process shows about its database connections (metrics, health). */
export type DbHealth = {
  /** Connections open, idle in the pool, and callers waiting for one. */
  pool(): { total: number; idle: number; waiting: number };
  /** Connections in use that heard nothing from PostgreSQL for queryTimeoutMs and were destroyed. */
  silentConnectionsDestroyed(): number;
};

export type DbHandle = {
  prisma: PrismaClient;
  health: DbHealth;
  close: () => Promise<void>;
};

export type DbOptions = {
  databaseUrl: string;
  poolSize?: number;
  /** PostgreSQL's own `statement_timeout`: a statement running longer is cancelled by the server (default 30 s). */
  statementTimeoutMs?: number;
  /**
   * A connection in use that receives nothing for this long is destroyed, failing its statement (default 35 s).
   * This is what frees a black-holed connection: PostgreSQL's timeout cannot reach us through it, and TCP would
   * retransmit for ~15 minutes before giving up.
   */
  queryTimeoutMs?: number;
};

export const DB_DEFAULTS = { statementTimeoutMs: 30_000, queryTimeoutMs: 35_000 } as const;

// pg keeps the socket on a field it does not type.
const socketOf = (client: pg.PoolClient): Socket | undefined =>
  (client as unknown as { connection?: { stream?: Socket } }).connection?.stream;

/**
 * One Prisma client per process (Prisma 7: pure TypeScript + WebAssembly query
 * compiler over node-postgres, no native engine), on a pool that does not
 * stall when PostgreSQL goes silent: TCP keepalive finds dead idle
 * connections, a server-side statement timeout ends runaway statements, and a
 * connection in use that hears nothing within queryTimeoutMs is destroyed, so
 * the caller fails (and retries) on a fresh connection instead of waiting for
 * ever.
 */
export function createDb(options: DbOptions): DbHandle {
  const statementTimeoutMs = options.statementTimeoutMs ?? DB_DEFAULTS.statementTimeoutMs;
  const queryTimeoutMs = options.queryTimeoutMs ?? DB_DEFAULTS.queryTimeoutMs;
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize ?? 10,
    // Fail fast when PostgreSQL is unreachable instead of hanging a request.
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    statement_timeout: statementTimeoutMs,
    // A transaction left open by a stalled client must not hold its locks for ever.
    idle_in_transaction_session_timeout: Math.max(queryTimeoutMs, statementTimeoutMs) * 2,
    idleTimeoutMillis: 30_000,
  });
  let silent = 0;
  pool.on('connect', (client) => {
    const socket = socketOf(client);
    socket?.on('timeout', () => {
      silent++;
      socket.destroy(new Error(`no answer from PostgreSQL within ${queryTimeoutMs} ms`));
    });
  });
  // Armed only while the connection is checked out: an idle pooled connection is silent by design.
  pool.on('acquire', (client) => socketOf(client)?.setTimeout(queryTimeoutMs));
  pool.on('release', (_err, client) => socketOf(client)?.setTimeout(0));
  // An idle connection that dies (PostgreSQL restarted, keepalive gave up) is dropped by the pool; without a
  // listener the 'error' would crash the process.
  pool.on('error', () => undefined);
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    health: {
      pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      silentConnectionsDestroyed: () => silent,
    },
    close: async () => {
      await prisma.$disconnect();
      if (!pool.ended) await pool.end();
    },
  };
}
