import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { applyMigrations, createMigration } from '@pbx/db/migrate';
import { databaseUrl, quoteIdent, withAdmin } from '@pbx/testing';

const prismaDir = fileURLToPath(new URL('../../prisma', import.meta.url));

async function emptyDatabase(): Promise<string> {
  const name = `pbx_t_${Date.now().toString(36)}_mig${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  after(() => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)));
  return databaseUrl(name);
}

async function snapshot(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ line: string }>(`
      SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable AS line
      FROM information_schema.columns WHERE table_schema = 'public'
      UNION ALL SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
      UNION ALL SELECT 'constraint ' || conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
      ORDER BY 1`);
    return rows.map((r) => r.line).join('\n');
  } finally {
    await client.end();
  }
}

function modelNames(schema: string): string[] {
  return [...schema.matchAll(/^model (\w+) \{/gm)].map((m) => m[1] ?? '').sort();
}

describe('migrations', () => {
  test('applied from scratch create every model of the schema, and re-running is a no-op', async () => {
    const url = await emptyDatabase();
    const applied = await applyMigrations({ databaseUrl: url, prismaDir });
    const folders = (await readdir(join(prismaDir, 'migrations'), { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    assert.deepEqual(applied, folders);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1",
    );
    const recorded = await client.query<{ migration_name: string; finished_at: Date | null }>(
      'SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name',
    );
    await client.end();
    const schema = await readFile(join(prismaDir, 'schema.prisma'), 'utf8');
    assert.deepEqual(
      rows.map((r) => r.table_name),
      modelNames(schema),
    );
    assert.deepEqual(
      recorded.rows.map((r) => r.migration_name),
      folders,
    );
    assert.ok(recorded.rows.every((r) => r.finished_at !== null));

    const before = await snapshot(url);
    assert.deepEqual(await applyMigrations({ databaseUrl: url, prismaDir }), []);
    assert.equal(await snapshot(url), before);
  });

  test('the committed migrations match schema.prisma (no forgotten migration)', async () => {
    const url = await emptyDatabase();
    const scratch = await mkdtemp(join(tmpdir(), 'pbx-prisma-'));
    after(() => rm(scratch, { recursive: true, force: true }));
    await cp(prismaDir, scratch, { recursive: true });
    const folder = await createMigration({ databaseUrl: url, prismaDir: scratch, name: 'drift' });
    assert.equal(folder, null, 'schema.prisma has changes no migration covers: run npm run db:new-migration');
  });

  test('a changed schema produces a new migration that applies on top of the others', async () => {
    const url = await emptyDatabase();
    const scratch = await mkdtemp(join(tmpdir(), 'pbx-prisma-'));
    after(() => rm(scratch, { recursive: true, force: true }));
    await cp(prismaDir, scratch, { recursive: true });
    await applyMigrations({ databaseUrl: url, prismaDir: scratch });
    const schemaPath = join(scratch, 'schema.prisma');
    await writeFile(
      schemaPath,
      `${await readFile(schemaPath, 'utf8')}\nmodel ScratchThing {\n  id   Int    @id @default(autoincrement())\n  name String @unique\n}\n`,
    );
    const folder = await createMigration({
      databaseUrl: url,
      prismaDir: scratch,
      name: 'Add scratch thing!',
      now: new Date('2099-01-01T00:00:00Z'),
    });
    assert.equal(folder, '20990101000000_add_scratch_thing');
    const sql = await readFile(join(scratch, 'migrations', folder, 'migration.sql'), 'utf8');
    assert.match(sql, /CREATE TABLE "ScratchThing"/);
    assert.doesNotMatch(sql, /CREATE TABLE "Tenant"/, 'only the difference is in the new migration');

    assert.deepEqual(await applyMigrations({ databaseUrl: url, prismaDir: scratch }), [folder]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rowCount } = await client.query(
      "SELECT 1 FROM information_schema.tables WHERE table_name = 'ScratchThing'",
    );
    await client.end();
    assert.equal(rowCount, 1);
    assert.equal(await createMigration({ databaseUrl: url, prismaDir: scratch, name: 'again' }), null);
  });
});
