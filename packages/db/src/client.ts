import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.js';

export type Db = PrismaClient;

export type DbHandle = {
  prisma: PrismaClient;
  close: () => Promise<void>;
};

/**
 * One Prisma client per process (Prisma 7: pure TypeScript + WebAssembly query
 * compiler over node-postgres, no native engine).
 */
export function createDb(options: { databaseUrl: string; poolSize?: number }): DbHandle {
  const adapter = new PrismaPg({
    connectionString: options.databaseUrl,
    max: options.poolSize ?? 10,
    // Fail fast when PostgreSQL is unreachable instead of hanging a request.
    connectionTimeoutMillis: 5_000,
  });
  const prisma = new PrismaClient({ adapter });
  return { prisma, close: () => prisma.$disconnect() };
}
