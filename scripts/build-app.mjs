// Bundles one Node app (src/main.ts → dist/main.js); the options are in app-build-options.mjs.
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { appBuildOptions } from './app-build-options.mjs';

const appDir = resolve(process.argv[2] ?? '.');
await build(appBuildOptions(appDir));
console.log(`built ${appDir}/dist/main.js`);
