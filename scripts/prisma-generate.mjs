// Generates the Prisma client without network access.
// The CLI insists on locating its native schema engine even for `generate`,
// which never runs it; pointing the variable at any existing file satisfies it
// (see docs/database.md). Real migrations go through the WebAssembly engine.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let cli;
try {
  cli = require.resolve('prisma/build/index.js');
} catch {
  // Installing with --omit=dev: nothing to generate with, and nothing needs it.
  process.exit(0);
}
// Regenerating rewrites the client's files under running processes (and other
// test files); skip it when the client was generated from this very schema.
const schema = readFileSync('prisma/schema.prisma');
const stamp = 'packages/db/src/generated/prisma/.schema-sha256';
const digest = createHash('sha256')
  .update(schema)
  .update(require('prisma/package.json').version)
  .digest('hex');
if (!process.argv.includes('--force') && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) {
  console.log('Prisma client is up to date');
  process.exit(0);
}

const env = {
  ...process.env,
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  PRISMA_SCHEMA_ENGINE_BINARY:
    process.env.PRISMA_SCHEMA_ENGINE_BINARY && existsSync(process.env.PRISMA_SCHEMA_ENGINE_BINARY)
      ? process.env.PRISMA_SCHEMA_ENGINE_BINARY
      : process.execPath,
};
const result = spawnSync(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma'], {
  stdio: 'inherit',
  env,
});
if (result.status === 0) writeFileSync(stamp, digest);
process.exit(result.status ?? 1);
