import { builtinModules } from 'node:module';
import js from '@eslint/js';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

// The dependency rules of docs/architecture.md ("Packages and the dependency rules"), one row per
// workspace: what its production code (src/) may import besides node's built-ins and its own files.
// `npm` lists registry packages (`@scope/*` allows a whole scope); `null` leaves them free (apps
// choose their own libraries, only their @pbx imports are fixed). Tests and benchmarks of a workspace
// may also import @pbx/testing and @pbx/freeswitch-double, and any registry package.
// tests/foundation/dependency-rules.test.ts checks this object against the table and package.json.
export const DEPENDENCY_RULES = {
  'packages/contracts': { pbx: [], npm: ['zod'] },
  'packages/config': { pbx: [], npm: ['zod'] },
  'packages/db': { pbx: ['@pbx/config'], npm: ['@prisma/*', 'pg'] },
  'packages/domain': {
    pbx: ['@pbx/contracts', '@pbx/db', '@pbx/media', '@pbx/storage'],
    npm: ['google-libphonenumber', 'libphonenumber-js', 'zod'],
  },
  'packages/esl': { pbx: [], npm: ['modesl', 'zod'] },
  'packages/events-ingest': {
    pbx: ['@pbx/contracts', '@pbx/db', '@pbx/esl', '@pbx/jobs'],
    npm: ['ioredis', 'zod'],
  },
  'packages/freeswitch-double': { pbx: [], npm: [] },
  'packages/jobs': { pbx: ['@pbx/contracts'], npm: ['bullmq', 'ioredis', 'zod'] },
  'packages/media': { pbx: [], npm: ['zod'] },
  'packages/metrics': { pbx: [], npm: ['prom-client'] },
  'packages/storage': { pbx: [], npm: ['@aws-sdk/client-s3', 'zod'] },
  'packages/testing': { pbx: ['@pbx/db'], npm: ['ioredis', 'pg'] },
  'apps/api': {
    pbx: [
      '@pbx/config',
      '@pbx/contracts',
      '@pbx/db',
      '@pbx/domain',
      '@pbx/events-ingest',
      '@pbx/jobs',
      '@pbx/media',
      '@pbx/metrics',
      '@pbx/storage',
    ],
    npm: null,
  },
  'apps/controller': {
    pbx: [
      '@pbx/config',
      '@pbx/contracts',
      '@pbx/db',
      '@pbx/domain',
      '@pbx/esl',
      '@pbx/events-ingest',
      '@pbx/jobs',
      '@pbx/media',
      '@pbx/metrics',
      '@pbx/storage',
    ],
    npm: null,
  },
  'apps/worker': {
    pbx: [
      '@pbx/config',
      '@pbx/contracts',
      '@pbx/db',
      '@pbx/domain',
      '@pbx/jobs',
      '@pbx/media',
      '@pbx/metrics',
      '@pbx/storage',
    ],
    npm: null,
  },
  'apps/web': {
    pbx: ['@pbx/contracts'],
    npm: [
      '@mantine/core',
      '@mantine/hooks',
      '@tanstack/react-query',
      'qrcode',
      'react',
      'react-dom',
      'react-router',
      'zod',
    ],
  },
};

const TEST_SUPPORT = ['@pbx/testing', '@pbx/freeswitch-double'];
const DOUBLE = '@pbx/freeswitch-double';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const specifier = (name) => (name.endsWith('/*') ? `${escape(name.slice(0, -1))}[^/]+` : escape(name));
/** Matches a specifier that is none of `names` nor a sub-path of one. */
const noneOf = (names) => (names.length === 0 ? '' : `(?!(?:${names.map(specifier).join('|')})(?:/|$))`);
const BUILTINS = noneOf(builtinModules.filter((m) => !m.startsWith('_')));

const CROSS_WORKSPACE_PATH = {
  regex: '^\\.\\.?/(?:.*/)?(?:apps|packages)/',
  message: 'Import another workspace by its package name (@pbx/...), never by a relative path.',
};

export function dependencyRules() {
  return Object.entries(DEPENDENCY_RULES).flatMap(([dir, { pbx, npm }]) => {
    const row = `${dir} may import ${[...pbx, ...(npm ?? ['any registry package'])].join(', ') || 'nothing but node built-ins'} (docs/architecture.md).`;
    const src = [
      CROSS_WORKSPACE_PATH,
      {
        group: [DOUBLE, `${DOUBLE}/*`],
        message: 'Production code never imports the FreeSWITCH double (tests and benchmarks may).',
      },
      { regex: `^${noneOf([...pbx, DOUBLE])}@pbx/`, message: row },
    ];
    if (npm) src.push({ regex: `^(?![./]|@pbx/|node:)${BUILTINS}${noneOf(npm)}`, message: row });
    const forTests = [`@pbx/${dir.split('/')[1]}`, ...pbx, ...TEST_SUPPORT];
    const others = [
      CROSS_WORKSPACE_PATH,
      {
        regex: `^${noneOf(forTests)}@pbx/`,
        message: `Tests and benchmarks of ${dir} may import only these of our packages: ${forTests.join(', ')}.`,
      },
    ];
    return [
      { files: [`${dir}/src/**`], rules: { 'no-restricted-imports': ['error', { patterns: src }] } },
      {
        files: [`${dir}/**`],
        ignores: [`${dir}/src/**`],
        rules: { 'no-restricted-imports': ['error', { patterns: others }] },
      },
    ];
  });
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/generated/**',
      '**/.turbo/**',
      'apps/web/dist/**',
      '**/*.mjs',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  regexp.configs['flat/recommended'],
  {
    // A regular expression that backtracks super-linearly on untrusted input freezes the process (issue #14).
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
    },
  },
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Event-driven ESL and queue code: a dropped promise is a lost call or job.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's test()/describe() return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read the environment only in a config.ts (parsed once with zod at start-up).',
        },
      ],
    },
  },
  {
    files: [
      '**/config.ts',
      '**/env.ts',
      'packages/testing/**',
      'tests/**',
      '**/test/**',
      'scripts/**',
      'prisma.config.ts',
      '**/cli.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Tests read JSON answers loosely; production code may not.
    files: ['**/test/**', 'tests/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  ...dependencyRules(),
);
