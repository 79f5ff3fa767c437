import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { applyMigrations } from '@pbx/db/migrate';
import { databaseUrl, quoteIdent, withAdmin } from './pg-admin.js';

const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

/**
 * Once per `npm test`: migrate a template database from prisma/migrations
 * (the same path production uses), so each test file can clone it in
 * milliseconds. Databases left by a crashed run are dropped once stale.
 */
export async function prepareTestRun(): Promise<{
  vars: Record<string, string>;
  cleanup: () => Promise<void>;
}> {
  const stamp = Date.now().toString(36);
  const template = `pbx_tpl_${stamp}_${randomBytes(3).toString('hex')}`;
  await withAdmin(async (c) => {
    await dropStale(c);
    await c.query(`CREATE DATABASE ${quoteIdent(template)}`);
  });
  const prismaDir = fileURLToPath(new URL('../../../prisma', import.meta.url));
  await applyMigrations({ databaseUrl: databaseUrl(template), prismaDir });
  return {
    vars: { PBX_TEST_TEMPLATE_DB: template },
    cleanup: () =>
      withAdmin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(template)} WITH (FORCE)`);
      }),
  };
}

async function dropStale(c: pg.Client): Promise<void> {
  const { rows } = await c.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname ~ '^pbx_(tpl|t)_[a-z0-9]+_'",
  );
  const now = Date.now();
  for (const { datname } of rows) {
    const stamp = parseInt(datname.split('_')[2] ?? '', 36);
    if (Number.isFinite(stamp) && now - stamp > STALE_AFTER_MS) {
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
    }
  }
}
