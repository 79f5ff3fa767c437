// `npm run check:cycles`: fails on any circular import across apps/ and packages/ (type-only imports
// included), following imports between workspaces (@pbx/*) through their package.json exports.
// madge is given the compiler options as JSON: from a tsconfig path it passes already-parsed options
// on to its resolver, which then loses `moduleResolution: bundler` and skips every @pbx/* import.
import madge from 'madge';

const root = new URL('..', import.meta.url).pathname;

const result = await madge(['apps', 'packages'], {
  baseDir: root,
  fileExtensions: ['ts', 'tsx'],
  excludeRegExp: [/\/generated\//, /\.d\.ts$/],
  tsConfig: {
    compilerOptions: {
      module: 'esnext',
      moduleResolution: 'bundler',
      jsx: 'react-jsx',
      resolveJsonModule: true,
    },
  },
});

// Our own packages must be followed, not skipped: a skipped @pbx/* import would hide a cycle through it.
const skipped = result.warnings().skipped.filter((s) => s.startsWith('@pbx/'));
const cycles = result.circular();
for (const s of skipped) console.error(`check:cycles: could not resolve ${s}`);
for (const c of cycles) console.error(`check:cycles: circular import: ${c.join(' > ')} > ${c[0]}`);
if (skipped.length > 0 || cycles.length > 0) process.exit(1);
console.log(`check:cycles: no circular import among ${Object.keys(result.obj()).length} files`);
