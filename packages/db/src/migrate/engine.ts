import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';

// Prisma's native schema engine is a binary the CLI downloads at run time,
// which these machines cannot do. The same engine ships as WebAssembly; its
// entry module imports the .wasm file directly, which Node 20 only allows
// behind --experimental-wasm-modules, so we instantiate it by hand instead.
let ready: Promise<void> | undefined;

// Node has WebAssembly as a global; our lib settings (no DOM) do not declare it.
const wasmApi = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate: (bytes: Buffer, imports: object) => Promise<{ instance: { exports: unknown } }>;
    };
  }
).WebAssembly;

function loadWasm(): Promise<void> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    // The .wasm file is not in the package's exports map; it sits beside the entry.
    const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
    const bytes = await readFile(wasmPath);
    const { instance } = await wasmApi.instantiate(bytes, { './schema_engine_bg.js': bindings });
    const exports = instance.exports as { __wbindgen_start: () => void };
    (bindings as unknown as { __wbg_set_wasm: (w: unknown) => void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return ready;
}

export type Engine = {
  engine: SchemaEngine;
  close: () => Promise<void>;
};

export async function openSchemaEngine(options: {
  databaseUrl: string;
  schemaPath: string;
  schemaText: string;
  log?: (line: string) => void;
}): Promise<Engine> {
  await loadWasm();
  // Discrete fields, not a connectionString: the adapter builds its shadow
  // database config as {...config, database}, and node-postgres lets a
  // connectionString override `database`, which would point the shadow at the
  // real database. Our own pool also lets close() end it instead of waiting
  // for idle connections to time out.
  const pool = new pg.Pool({ ...poolConfigFromUrl(options.databaseUrl), max: 2 });
  pool.on('error', ignoreIdleClientError);
  const factory = bindMigrationAwareSqlAdapterFactory(withSafeShadowDb(new PrismaPg(pool), pool));
  const engine: SchemaEngine = await bindings.SchemaEngine.new(
    { datamodels: [[options.schemaPath, options.schemaText]] },
    (line: string) => options.log?.(line),
    factory,
  );
  return {
    engine,
    close: async () => {
      engine.free();
      await pool.end();
    },
  };
}

/**
 * The adapter's own shadow database drops the database while its pool still
 * holds a connection, which PostgreSQL refuses, leaving the database behind.
 * This one closes the pool first and drops with FORCE.
 */
function withSafeShadowDb(factory: PrismaPg, mainPool: pg.Pool): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => withCharColumnsAsText(await connect());
  factory.connectToShadowDb = async () => {
    const database = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
    await mainPool.query(`CREATE DATABASE "${database}"`);
    const shadowPool = new pg.Pool({ ...mainPool.options, database, max: 2 });
    shadowPool.on('error', ignoreIdleClientError);
    const adapter = withCharColumnsAsText(await new PrismaPg(shadowPool).connect());
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await shadowPool.end();
      await mainPool.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    };
    return adapter;
  };
  return factory;
}

// An idle pooled connection can be terminated by the server (e.g. a scratch
// database dropped WITH (FORCE)); pg reports that on the pool, and without a
// listener it would crash the process. The next query simply reconnects.
function ignoreIdleClientError(): void {}

type Adapter = Awaited<ReturnType<PrismaPg['connect']>>;
type RawResult = { fields: { dataTypeID: number }[] };
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * Describing a schema reads catalog columns of PostgreSQL's one-byte "char"
 * type (pg_class.relkind and friends), which the pg adapter refuses as an
 * unsupported type. node-postgres already returns them as strings, so they
 * are reported as text.
 */
function withCharColumnsAsText(adapter: Adapter): Adapter {
  const io = adapter as unknown as { performIO: (q: unknown) => Promise<RawResult> };
  const performIO = io.performIO.bind(adapter);
  io.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
  return adapter;
}

export function poolConfigFromUrl(url: string): pg.PoolConfig {
  const u = new URL(url);
  const socketHost = u.searchParams.get('host');
  return {
    host: socketHost ?? (u.hostname || 'localhost'),
    port: u.port ? Number(u.port) : 5432,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
    ...(u.username ? { user: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.searchParams.get('sslmode') && u.searchParams.get('sslmode') !== 'disable'
      ? { ssl: { rejectUnauthorized: u.searchParams.get('sslmode') === 'verify-full' } }
      : {}),
  };
}
