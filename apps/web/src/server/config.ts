import { z } from 'zod';

// The portal may import only @pbx/contracts, so it parses its own few variables.
const ms = (fallback: number) =>
  z.coerce
    .number({ message: 'expected a whole number of milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(100, 'expected at least 100')
    .max(3_600_000, 'expected at most 3600000')
    .default(fallback);
const schema = z.object({
  WEB_HOST: z.string().min(1).default('127.0.0.1'),
  WEB_PORT: z.coerce.number({ message: 'expected a port number' }).int().min(1).max(65535).default(8080),
  API_URL: z.url({ message: 'expected an http URL' }).default('http://127.0.0.1:3000'),
  // Slow-client defences: the whole request (head and body) and the head alone must arrive within these times;
  // an idle kept-alive connection is closed after the last. 100 ms to 1 hour.
  WEB_REQUEST_TIMEOUT_MS: ms(30_000),
  WEB_HEADERS_TIMEOUT_MS: ms(15_000),
  WEB_KEEP_ALIVE_TIMEOUT_MS: ms(5_000),
});
export type WebConfig = z.infer<typeof schema>;

export function loadWebConfig(env: Record<string, string | undefined> = process.env): WebConfig {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map(
    (i) => `${i.path.join('.')}: ${i.message} (got '${env[String(i.path[0])] ?? ''}')`,
  );
  throw new Error(`invalid environment: ${lines.join('; ')}`);
}
