import { z } from 'zod';

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

/** Reusable fragments: each app composes the ones it needs. */
export const env = {
  port: (fallback: number) =>
    z.coerce
      .number({ message: 'expected a port number' })
      .int()
      .min(1, 'expected a port from 1 to 65535')
      .max(65535, 'expected a port from 1 to 65535')
      .default(fallback),
  host: (fallback: string) => z.string().min(1).default(fallback),
  url: (protocols: string[], fallback?: string) => {
    const s = z.string().refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      `expected a ${protocols.join(' or ')} URL`,
    );
    return fallback === undefined ? s : s.default(fallback);
  },
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce
      .number({ message: 'expected a whole number' })
      .int('expected a whole number')
      .min(min, `expected at least ${min}`)
      .max(max, `expected at most ${max}`)
      .default(fallback),
  secret: (minLength: number) =>
    z.string({ message: 'must be set' }).min(minLength, `must be at least ${minLength} characters`),
  /** An absolute directory, e.g. RECORDINGS_DIR (it goes into dial strings: a safe alphabet only). */
  dir: (fallback: string) =>
    z
      .string()
      .regex(/^\/[A-Za-z0-9._/-]*$/, 'expected an absolute path of letters, digits, . _ / -')
      .default(fallback),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

/**
 * Secrets whose values are published (FreeSWITCH's stock event-socket password, the values in
 * .env.example): anyone can try them, so they are refused unless NODE_ENV says development or test.
 */
export const EXAMPLE_SECRETS: Readonly<Record<string, readonly string[]>> = {
  ESL_PASSWORD: ['ClueCon'],
  XML_CURL_PASSWORD: ['local-dev-xml-curl-password'],
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
  REDIS_URL: env.url(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  // Namespaces every Redis key, channel and queue so environments never collide.
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9:_-]{1,40}$/, 'expected 1-40 letters, digits, : _ -')
    .default('pbx'),
  LOG_LEVEL: env.logLevel(),
});

export { z };
