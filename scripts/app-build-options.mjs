// The esbuild options of one Node app (src/main.ts → dist/main.js), shared by build-app.mjs and the tests that
// check what a bundle contains. Our own @pbx/* packages are TypeScript sources and are compiled into the bundle;
// everything from the npm registry stays an ordinary import from node_modules.
import { resolve } from 'node:path';

/** @param {string} appDir @param {string} [outDir] defaults to the app's dist/ @returns {import('esbuild').BuildOptions} */
export function appBuildOptions(appDir, outDir = resolve(appDir, 'dist')) {
  return {
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
  };
}
