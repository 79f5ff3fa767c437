// `npm run bench`: runs every benchmark (apps/*/bench/*.bench.ts, packages/*/bench/*.bench.ts)
// one after another, so they never compete for the two cores. Each prints its
// figures as ratios against a baseline it measures in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2);
const files: string[] = [];
for (const group of ['apps', 'packages']) {
  for (const name of readdirSync(join(root, group))) {
    const dir = join(root, group, name, 'bench');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.bench.ts')) files.push(join(dir, f));
  }
}
const selected = files.filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
if (selected.length === 0) {
  console.error('no benchmark found');
  process.exit(1);
}
let failed = 0;
for (const file of selected) {
  console.log(`\n=== ${relative(root, file)}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
