import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';

// Prisma's native schema engine is a binary the CLI downloads at run time,
// which these machines cannot do. The same engine ships as WebAssembly; its
// entry module imports the .wasm file directly, which Node 20 only allows
// behind --experimental-wasm-modules, so we instantiate it by hand instead.
let ready: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    // The .wasm file is not in the package's exports map; it sits beside the entry.
    const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
    const bytes = await readFile(wasmPath);
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': bindings as unknown as WebAssembly.ModuleImports,
    });
    const exports = instance.exports as unknown as { __wbindgen_start: () => void };
    (bindings as unknown as { __wbg_set_wasm: (w: unknown) => void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return ready;
}

export type Engine = {
  engine: SchemaEngine;
  close: () => void;
};

export async function openSchemaEngine(options: {
  databaseUrl: string;
  schemaPath: string;
  schemaText: string;
  log?: (line: string) => void;
}): Promise<Engine> {
  await loadWasm();
  const factory = bindMigrationAwareSqlAdapterFactory(
    new PrismaPg({ connectionString: options.databaseUrl }),
  );
  const engine = (await bindings.SchemaEngine.new(
    { datamodels: [[options.schemaPath, options.schemaText]] },
    (line: string) => options.log?.(line),
    factory,
  )) as SchemaEngine;
  return { engine, close: () => engine.free() };
}
