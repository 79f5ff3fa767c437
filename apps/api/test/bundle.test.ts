// The API only reads what the controllers keep in Redis: its bundle must not carry the ESL adapter or modesl.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { build } from 'esbuild';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { appBuildOptions } from '../../../scripts/app-build-options.mjs';

test('the API bundle (as npm run build makes it) includes neither @pbx/esl nor modesl', async () => {
  const appDir = fileURLToPath(new URL('..', import.meta.url));
  const result = await build({
    ...(appBuildOptions(appDir) as object),
    write: false,
    metafile: true,
    sourcemap: false,
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(
    inputs.some((p) => p.includes('packages/events-ingest/src/live-calls/reader.ts')),
    'reader bundled',
  );
  assert.deepEqual(
    inputs.filter((p) => p.includes('packages/esl/')),
    [],
  );
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  assert.ok(imports.includes('fastify'), 'registry packages stay imports');
  assert.equal(imports.includes('modesl'), false);
  assert.equal(imports.includes('bullmq'), false);
});
