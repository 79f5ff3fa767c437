import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ConfigError,
  EXAMPLE_SECRETS,
  env,
  infraEnvSchema,
  parseEnv,
  refineStorageEnv,
  storageEnv,
  z,
} from '@pbx/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('config', () => {
  test('defaults give a working local configuration', () => {
    const cfg = parseEnv(infraEnvSchema, {});
    assert.equal(cfg.DATABASE_URL, 'postgresql://root@127.0.0.1:5432/pbx');
    assert.equal(cfg.REDIS_URL, 'redis://127.0.0.1:6379');
    assert.ok(Object.isFrozen(cfg));
  });

  test('a bad value is one line that names the variable and hides secrets', () => {
    const schema = infraEnvSchema.extend({ PORT: env.port(3000), API_SECRET: env.secret(16) });
    assert.throws(
      () => parseEnv(schema, { PORT: 'abc', DATABASE_URL: 'mysql://x', API_SECRET: 'short-secret' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.doesNotMatch(error.message, /\n/);
        assert.match(error.message, /PORT: .*got 'abc'/);
        assert.match(error.message, /DATABASE_URL: expected a postgres or postgresql URL/);
        assert.match(error.message, /API_SECRET: .*got '\*\*\*'/);
        assert.doesNotMatch(error.message, /short-secret/);
        return true;
      },
    );
  });

  test('a command given a bad value exits 1 with a single-line message, not a stack trace', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'packages/db/src/migrate/cli.ts', 'apply'],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: 'not a url' },
        encoding: 'utf8',
      },
    );
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /^invalid environment: DATABASE_URL: expected a postgres or postgresql URL/);
  });

  test('storage: local by default; S3 needs a bucket and both keys or none', () => {
    const schema = refineStorageEnv(z.object(storageEnv));
    const local = parseEnv(schema, {});
    assert.equal(local.STORAGE_BACKEND, 'local');
    assert.equal(local.STORAGE_DIR, '/var/lib/pbx/storage');
    const s3 = parseEnv(schema, {
      STORAGE_BACKEND: 's3',
      S3_BUCKET: 'pbx-media',
      S3_ENDPOINT: 'http://minio:9000',
      S3_FORCE_PATH_STYLE: 'true',
    });
    assert.equal(s3.S3_FORCE_PATH_STYLE, true);
    assert.equal(s3.S3_REGION, 'us-east-1');
    assert.throws(() => parseEnv(schema, { STORAGE_BACKEND: 's3' }), /S3_BUCKET: must be set/);
    // Empty means unset (compose's `${S3_BUCKET:-}`).
    assert.throws(() => parseEnv(schema, { STORAGE_BACKEND: 's3', S3_BUCKET: '' }), /S3_BUCKET: must be set/);
    assert.equal(
      parseEnv(schema, { S3_ACCESS_KEY_ID: '', S3_SECRET_ACCESS_KEY: '' }).S3_ACCESS_KEY_ID,
      undefined,
    );
    assert.throws(
      () => parseEnv(schema, { STORAGE_BACKEND: 'gcs' }),
      /STORAGE_BACKEND: expected local or s3/,
    );
    assert.throws(
      () => parseEnv(schema, { STORAGE_BACKEND: 's3', S3_BUCKET: 'b-1', S3_ACCESS_KEY_ID: 'AKIA' }),
      /S3_SECRET_ACCESS_KEY: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together/,
    );
    assert.throws(
      () => parseEnv(schema, { S3_SECRET_ACCESS_KEY: 'hunter2hunter2', S3_BUCKET: 'Bad_Bucket' }),
      (error) => error instanceof ConfigError && /S3_BUCKET: expected a bucket name/.test(error.message),
    );
  });

  test('bool fragment accepts the usual spellings only', () => {
    const schema = z.object({ FLAG: env.bool(false) });
    assert.equal(parseEnv(schema, { FLAG: 'yes' }).FLAG, true);
    assert.equal(parseEnv(schema, {}).FLAG, false);
    assert.throws(() => parseEnv(schema, { FLAG: 'maybe' }), /FLAG: expected true or false/);
  });

  for (const [app, variable, value] of [
    ['apps/api/src/main.ts', 'API_PORT', 'abc'],
    ['apps/controller/src/main.ts', 'CONTROLLER_HTTP_PORT', '70000'],
    ['apps/worker/src/main.ts', 'EMAIL_CONCURRENCY', 'lots'],
    ['apps/web/src/server/main.ts', 'WEB_PORT', 'eighty'],
  ] as const) {
    test(`${app} refuses a bad ${variable} with one line naming it`, async () => {
      const line = await startupError(app, {
        [variable]: value,
        XML_CURL_PASSWORD: 'a-long-enough-secret',
        ESL_PASSWORD: 'an-esl-secret',
      });
      assert.match(line, new RegExp(`invalid environment: ${variable}: .*'${value}'`));
    });
  }

  test('the controller refuses the example secrets of .env.example at start-up outside development', async () => {
    // Every secret .env.example ships is on the refused list, so copying it to production cannot go unnoticed.
    const example = await readFile(join(root, '.env.example'), 'utf8');
    for (const [, name, value] of example.matchAll(/^([A-Z_]*PASSWORD)=(.*)$/gm)) {
      assert.ok(EXAMPLE_SECRETS[name ?? '']?.includes(value ?? ''), `${name} of .env.example is not refused`);
    }
    const line = await startupError('apps/controller/src/main.ts', {
      NODE_ENV: 'production',
      XML_CURL_PASSWORD: 'a-long-enough-secret',
      ESL_PASSWORD: 'ClueCon',
    });
    assert.match(line, /invalid environment: ESL_PASSWORD: is the published example value/);
    assert.doesNotMatch(line, /ClueCon/);
  });
});

/**
 * Starts an app's main.ts with extra environment and expects it to stop at start-up: exit code 1 and
 * exactly one line on stderr, which is returned. No time limit of its own (the test runner's bounds it).
 */
function startupError(app: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', app], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        assert.equal(code, 1, stderr);
        const lines = stderr.trim().split('\n');
        assert.equal(lines.length, 1, stderr);
        resolve(lines[0] ?? '');
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
