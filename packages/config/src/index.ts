import { z } from 'zod';
import { env } from './fragments.js';

/** Thrown when the environment is wrong; its message is one line naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/**
 * Parses the environment once, at start-up. Every problem is reported in one
 * line per variable ("PORT: expected a number from 1 to 65535, got 'abc'"),
 * so main.ts can print it and exit without a stack trace.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env): Readonly<z.infer<S>> {
  const result = schema.safeParse(env);
  if (result.success) return Object.freeze(result.data);
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const raw = env[name];
    const got = raw === undefined ? 'it is not set' : `got '${mask(name, raw)}'`;
    return `${name}: ${issue.message} (${got})`;
  });
  throw new ConfigError(`invalid environment: ${lines.join('; ')}`);
}

function mask(name: string, value: string): string {
  if (/PASSWORD|SECRET|TOKEN|KEY/i.test(name)) return '***';
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

export { env } from './fragments.js';

/**
 * Secrets whose values are published (FreeSWITCH's stock event-socket password, the values in
 * .env.example): anyone can try them, so they are refused unless NODE_ENV says development or test.
 */
export const EXAMPLE_SECRETS: Readonly<Record<string, readonly string[]>> = {
  ESL_PASSWORD: ['ClueCon'],
  XML_CURL_PASSWORD: ['local-dev-xml-curl-password'],
  GATEWAY_SECRET_KEY: ['cGJ4LWRldmVsb3BtZW50LW9ubHktdHJ1bmsta2V5ISE='],
};

/**
 * The key trunk passwords are encrypted with (AES-256-GCM): 32 bytes, base64. API (encrypts) and controller
 * (decrypts for FreeSWITCH) need the same one. Unset: trunks that register cannot be created.
 */
export const gatewaySecretEnv = {
  GATEWAY_SECRET_KEY: z
    .string()
    .refine(
      (v) => /^[a-z0-9+/]{43}=?$/i.test(v) && Buffer.from(v, 'base64').length === 32,
      'expected 32 bytes, base64 (openssl rand -base64 32)',
    )
    .optional(),
};

/** Adds the example-secret refusal to an app's schema (apply last: refined schemas cannot be extended). */
export function refuseExampleSecrets<S extends z.ZodObject<{ NODE_ENV: z.ZodType<string> }>>(schema: S): S {
  return schema.superRefine((cfg: Record<string, unknown>, ctx) => {
    if (cfg.NODE_ENV === 'development' || cfg.NODE_ENV === 'test') return;
    for (const [name, known] of Object.entries(EXAMPLE_SECRETS)) {
      const value = cfg[name];
      if (typeof value === 'string' && known.includes(value))
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `is the published example value; set a secret of your own (example values are accepted only with NODE_ENV=development or test, NODE_ENV is ${String(cfg.NODE_ENV)})`,
        });
    }
  });
}

/** Shared by every process that talks to PostgreSQL and Redis. */
export const infraEnvSchema = z.object({
  // Unset means production: a deployment that forgets it gets the strict checks, not the lax ones.
  NODE_ENV: z
    .enum(['development', 'test', 'production'], { message: 'expected development, test or production' })
    .default('production'),
  DATABASE_URL: env.url(['postgres', 'postgresql'], 'postgresql://root@127.0.0.1:5432/pbx'),
  /** PostgreSQL cancels a statement running longer than this (its `statement_timeout`). */
  DB_STATEMENT_TIMEOUT_MS: env.int(30_000, 100, 3_600_000),
  /**
   * A database connection in use that hears nothing for this long is destroyed and its statement fails: what
   * frees a connection PostgreSQL's answers no longer reach (a black-holed network path).
   */
  DB_QUERY_TIMEOUT_MS: env.int(35_000, 100, 3_600_000),
  REDIS_URL: env.url(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  // Namespaces every Redis key, channel and queue so environments never collide.
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w:-]{1,40}$/, 'expected 1-40 letters, digits, : _ -')
    .default('pbx'),
  LOG_LEVEL: env.logLevel(),
});

export { z };
export * from './http.js';
export { refineStorageEnv, storageEnv } from './storage.js';
