// `npm test`: the whole suite with node's test runner, against real
// PostgreSQL and Redis. Global set-up (one migrated template database per run)
// happens here; each test file then clones its own database from the template
// and uses its own Redis key prefix (packages/testing), so runs never collide.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const files =
  args.length > 0 ? args : ['apps', 'packages', 'tests'].flatMap((d) => findTests(join(root, d))).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

// The set-up module is TypeScript: load it through tsx, as the tests themselves are.
const { tsImport } = await import('tsx/esm/api');
const { prepareTestRun } = await tsImport('../packages/testing/src/global-setup.ts', import.meta.url);
const env = await prepareTestRun();

// The per-file time-out only catches a hung file: generous, so a machine loaded many times over (scrypt logins
// in apps/api/test/auth.test.ts did not finish in 120 s at a load average of 23 on 2 cores) is not mistaken for a hang.
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', ...files],
  { stdio: 'inherit', cwd: root, env: { ...process.env, ...env.vars } },
);
child.on('exit', async (code, signal) => {
  await env.cleanup();
  process.exit(code ?? (signal ? 1 : 0));
});
