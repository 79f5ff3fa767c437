// Bundles one Node app (src/main.ts → dist/main.js). Our own @pbx/* packages are
// TypeScript sources and are compiled into the bundle; everything from the npm
// registry stays an ordinary import from node_modules.
import { build } from 'esbuild';
import { resolve } from 'node:path';

const appDir = resolve(process.argv[2] ?? '.');
// An optional output folder lets tests build a private copy (as apps/web/build.mjs does).
const outDir = resolve(process.argv[3] ?? resolve(appDir, 'dist'));
await build({
  entryPoints: [resolve(appDir, 'src/main.ts')],
  outfile: resolve(outDir, 'main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'externalize-registry-packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.path.startsWith('@pbx/')) return undefined;
          return { path: args.path, external: true };
        });
      },
    },
  ],
  banner: {
    // Some bundled CommonJS-style code paths expect require() in ESM output.
    js: "import { createRequire as __pbxCreateRequire } from 'node:module'; const require = __pbxCreateRequire(import.meta.url);",
  },
});
console.log(`built ${outDir}/main.js`);
