// Bundles one Node app (src/main.ts → dist/main.js); the options are in app-build-options.mjs.
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { appBuildOptions } from './app-build-options.mjs';

const appDir = resolve(process.argv[2] ?? '.');
// An optional output folder lets tests build a private copy (as apps/web/build.mjs does).
const outDir = process.argv[3] ? resolve(process.argv[3]) : undefined;
await build(appBuildOptions(appDir, outDir));
console.log(`built ${outDir ?? resolve(appDir, 'dist')}/main.js`);
