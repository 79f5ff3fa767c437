import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { applyMigrations } from '@pbx/db/migrate';
import { databaseUrl, quoteIdent, withAdmin } from './pg-admin.js';

export type BenchDatabase = { name: string; url: string; drop: () => Promise<void> };

/** A fresh, migrated database for one benchmark run (controller and worker benches); `drop` removes it. */
export async function createBenchDatabase(tag = 'bench'): Promise<BenchDatabase> {
  const name = `pbx_t_${Date.now().toString(36)}_${tag}${randomBytes(2).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const drop = () =>
    withAdmin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    });
  const url = databaseUrl(name);
  try {
    await applyMigrations({
      databaseUrl: url,
      prismaDir: fileURLToPath(new URL('../../../prisma', import.meta.url)),
    });
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, url, drop };
}
