// The dependency rules live in three places that must not drift apart: the table in
// docs/architecture.md (what people read), DEPENDENCY_RULES in eslint.config.js (what lint enforces)
// and each workspace's package.json (what npm installs). The last test shows the lint rules firing.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const root = fileURLToPath(new URL('../..', import.meta.url));

type Rule = { pbx: string[]; npm: string[] | null };
const config = (await import(pathToFileURL(join(root, 'eslint.config.js')).href)) as {
  DEPENDENCY_RULES: Record<string, Rule>;
  dependencyRules: () => Linter.Config[];
};
const RULES = config.DEPENDENCY_RULES;
const TEST_SUPPORT = ['@pbx/freeswitch-double', '@pbx/testing'];

const workspaces = ['apps', 'packages'].flatMap((d) =>
  readdirSync(join(root, d), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `${d}/${e.name}`),
);

function documentedRules(): Record<string, Rule> {
  const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
  const section = doc.slice(
    doc.indexOf('## Packages and the dependency rules'),
    doc.indexOf('## Conventions'),
  );
  const out: Record<string, Rule> = {};
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const ticked = (cell: string | undefined) =>
      [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
    const [name] = ticked(cells[1]);
    if (name?.startsWith('@pbx/')) {
      const may = ticked(cells[3]);
      out[`packages/${name.slice(5)}`] = {
        pbx: may.filter((m) => m.startsWith('@pbx/')),
        npm: may.filter((m) => !m.startsWith('@pbx/')),
      };
    } else if (name?.startsWith('apps/')) {
      const may = ticked(cells[2]);
      const npm = may.filter((m) => !m.startsWith('@pbx/'));
      out[name] = { pbx: may.filter((m) => m.startsWith('@pbx/')), npm: npm.length > 0 ? npm : null };
    }
  }
  return out;
}

const sorted = (r: Record<string, Rule>) =>
  Object.fromEntries(
    Object.entries(r)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, { pbx: [...v.pbx].sort(), npm: v.npm && [...v.npm].sort() }]),
  );

describe('package dependency rules', () => {
  test('every workspace has a rule, and docs/architecture.md shows exactly the rules lint enforces', () => {
    assert.deepEqual(Object.keys(RULES).sort(), [...workspaces].sort());
    assert.deepEqual(sorted(documentedRules()), sorted(RULES));
  });

  test('what a workspace may import is what its package.json declares', () => {
    for (const [dir, rule] of Object.entries(RULES)) {
      const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      const deps = Object.keys(pkg.dependencies ?? {});
      for (const name of [...rule.pbx, ...(rule.npm ?? [])]) {
        const declared = name.endsWith('/*')
          ? deps.some((d) => d.startsWith(name.slice(0, -1)))
          : deps.includes(name);
        assert.ok(declared, `${dir} may import ${name} but does not declare it`);
      }
      assert.deepEqual(
        deps.filter((d) => d.startsWith('@pbx/')).sort(),
        [...rule.pbx].sort(),
        `${dir}: @pbx dependencies in package.json`,
      );
      const devPbx = Object.keys(pkg.devDependencies ?? {}).filter((d) => d.startsWith('@pbx/'));
      for (const d of devPbx) assert.ok(TEST_SUPPORT.includes(d), `${dir} has ${d} as a dev dependency`);
    }
  });

  describe('lint refuses what the table does not allow', () => {
    const linter = new Linter({ configType: 'flat', cwd: root });
    const lintConfig: Linter.Config[] = [
      { files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser } },
      ...config.dependencyRules(),
    ];
    const refused = (file: string, source: string): string[] =>
      linter
        .verify(`import x from '${source}';\nexport default x;\n`, lintConfig, { filename: join(root, file) })
        .map((m) => {
          assert.equal(m.ruleId, 'no-restricted-imports', m.message);
          return m.message;
        });

    const cases: Array<[file: string, source: string, refusedWith: RegExp | null]> = [
      [
        'packages/domain/src/x.ts',
        'fastify',
        /packages\/domain may import @pbx\/contracts, @pbx\/db, @pbx\/media, @pbx\/storage, google-libphonenumber, libphonenumber-js, zod/,
      ],
      ['packages/domain/src/x.ts', 'modesl', /packages\/domain may import/],
      ['packages/domain/src/x.ts', 'bullmq', /packages\/domain may import/],
      ['packages/domain/src/x.ts', '@pbx/esl', /packages\/domain may import/],
      ['packages/domain/src/x.ts', '@pbx/db', null],
      ['packages/domain/src/x.ts', 'zod/v4', null],
      ['packages/domain/src/x.ts', 'node:crypto', null],
      ['packages/domain/src/x.ts', './shared/run-write.js', null],
      ['packages/db/src/x.ts', '@pbx/domain', /packages\/db may import/],
      ['packages/db/src/x.ts', '@prisma/adapter-pg', null],
      ['packages/esl/src/x.ts', '@pbx/api', /packages\/esl may import/],
      ['packages/esl/src/x.ts', 'net', null],
      ['packages/esl/src/x.ts', '../../../apps/api/src/app.js', /never by a relative path/],
      ['packages/esl/test/x.ts', '@pbx/freeswitch-double', null],
      ['packages/freeswitch-double/src/x.ts', '@pbx/esl', /nothing but node built-ins/],
      ['packages/events-ingest/src/x.ts', '@pbx/esl', null],
      ['apps/api/src/x.ts', '@pbx/controller', /apps\/api may import/],
      ['apps/api/src/x.ts', '@pbx/freeswitch-double', /never imports the FreeSWITCH double/],
      ['apps/api/src/x.ts', 'fastify', null],
      ['apps/controller/src/x.ts', '@pbx/freeswitch-double/xml-curl', /never imports the FreeSWITCH double/],
      ['apps/controller/test/x.ts', '@pbx/freeswitch-double/xml-curl', null],
      ['apps/controller/test/x.ts', '@pbx/testing', null],
      ['apps/controller/bench/x.ts', '@pbx/api', /Tests and benchmarks of apps\/controller may import only/],
      ['apps/worker/src/x.ts', '@pbx/esl', /apps\/worker may import/],
      ['apps/web/src/client/x.tsx', '@pbx/db', /apps\/web may import @pbx\/contracts, @mantine\/core/],
      ['apps/web/src/server/x.ts', 'fastify', /apps\/web may import/],
      ['apps/web/src/client/x.tsx', '@pbx/contracts', null],
      ['apps/web/src/client/x.tsx', 'react-dom/client', null],
    ];
    for (const [file, source, refusedWith] of cases) {
      test(`${file}: ${source} is ${refusedWith ? 'refused' : 'allowed'}`, () => {
        const messages = refused(file, source);
        if (refusedWith)
          assert.ok(
            messages.some((m) => refusedWith.test(m)),
            messages.join('\n') || 'no report',
          );
        else assert.deepEqual(messages, []);
      });
    }
  });
});
