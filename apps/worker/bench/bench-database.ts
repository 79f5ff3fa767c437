import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { databaseUrl, quoteIdent, withAdmin } from '@pbx/testing';

export type BenchDatabase = { name: string; url: string; drop: () => Promise<void> };

/** A fresh, migrated database for one benchmark run; `drop` removes it. */
/** (The same helper as apps/controller/bench: apps do not import each other.) */
export async function createBenchDatabase(tag = 'bench'): Promise<BenchDatabase> {
  const name = `pbx_t_${Date.now().toString(36)}_${tag}${randomBytes(2).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const drop = () =>
    withAdmin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    });
  const url = databaseUrl(name);
  try {
    // Loaded by name: @pbx/db/migrate's engine does not type-check outside packages/db (WebAssembly typings).
    const migrateModule = '@pbx/db/migrate';
    const { applyMigrations } = (await import(migrateModule)) as {
      applyMigrations: (o: { databaseUrl: string; prismaDir: string }) => Promise<unknown>;
    };
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
