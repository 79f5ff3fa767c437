// Builds the portal: the browser bundle (dist/public) and the small server that
// serves it and forwards /v1 to the API (dist/server.js).
import { build } from 'esbuild';
import { cp, mkdir } from 'node:fs/promises';

const here = new URL('.', import.meta.url).pathname;
// An optional output folder lets tests build a private copy.
const out = process.argv[2] ? `${process.argv[2].replace(/\/$/, '')}/` : `${here}dist/`;
await mkdir(`${out}public`, { recursive: true });
await cp(`${here}public`, `${out}public`, { recursive: true });
await build({
  entryPoints: [`${here}src/client/main.tsx`],
  outfile: `${out}public/app.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  jsx: 'automatic',
  minify: true,
  sourcemap: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
await build({
  entryPoints: [`${here}src/server/main.ts`],
  outfile: `${out}server.js`,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
console.log('built apps/web/dist');
