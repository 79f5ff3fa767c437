import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { databaseUrl, quoteIdent, withAdmin } from './pg-admin.js';

export type TestDatabase = { url: string; name: string; drop: () => Promise<void> };

/**
 * A fresh, fully migrated database for one test file, cloned from the run's
 * template (see scripts/test.mjs). Dropped automatically when the file ends.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env.PBX_TEST_TEMPLATE_DB;
  if (!template) throw new Error('PBX_TEST_TEMPLATE_DB is not set: run tests with `npm test`');
  const name = `pbx_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`));
  const db: TestDatabase = {
    url: databaseUrl(name),
    name,
    drop: () =>
      withAdmin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      }),
  };
  after(db.drop);
  return db;
}

/** A Redis key prefix no other test (or run) uses. */
export function testRedisPrefix(): string {
  return `pbxtest:${randomBytes(6).toString('hex')}`;
}

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export { adminUrl, databaseUrl, withAdmin, quoteIdent } from './pg-admin.js';
export { cutOff, exchange, sendShortBody, untilClosed, type Reply } from './http-exchange.js';
export { waitFor } from './wait.js';
