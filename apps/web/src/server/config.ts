import { z } from 'zod';

// The portal may import only @pbx/contracts, so it parses its own few variables.
const schema = z.object({
  WEB_HOST: z.string().min(1).default('127.0.0.1'),
  WEB_PORT: z.coerce.number({ message: 'expected a port number' }).int().min(1).max(65535).default(8080),
  API_URL: z.url({ message: 'expected an http URL' }).default('http://127.0.0.1:3000'),
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
