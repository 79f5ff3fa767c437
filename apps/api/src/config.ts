import {
  env,
  gatewaySecretEnv,
  httpTimeoutsEnv,
  infraEnvSchema,
  parseEnv,
  refineStorageEnv,
  refuseExampleSecrets,
  storageEnv,
  z,
} from '@pbx/config';

const apiEnvSchema = refineStorageEnv(
  infraEnvSchema.extend({
    API_HOST: env.host('0.0.0.0'),
    API_PORT: env.port(3000),
    // Slow heads and bodies are cut off (a client announcing 100 bytes and sending 10 used to be waited for
    // indefinitely); idle kept-alive connections are closed after 72 s, longer than a proxy's usual 60 s.
    ...httpTimeoutsEnv('API', { request: 30_000, headers: 15_000, keepAlive: 72_000 }),
    // Local development runs over plain http; production sets this to true.
    SESSION_COOKIE_SECURE: env.bool(false),
    SESSION_TTL_HOURS: env.int(12, 1, 24 * 30),
    ...gatewaySecretEnv,
    // Registrar address handed to phones; empty = the tenant's SIP domain.
    SIP_REGISTRAR_HOST: z
      .string()
      .regex(/^[A-Z0-9.-]{1,253}(:\d{1,5})?$/i, 'expected a host name or host:port')
      .optional(),
    SIP_TRANSPORT: z.enum(['udp', 'tcp', 'tls'], { message: 'expected udp, tcp or tls' }).default('udp'),
    // Per API key / session / IP, per minute, shared by all API processes through Redis.
    RATE_LIMIT_PER_MIN: env.int(600, 1, 1_000_000),
    LOGIN_RATE_LIMIT_PER_MIN: env.int(10, 1, 10_000),
    // Where the controller has FreeSWITCH write call recordings; a purged tenant's files are removed here.
    RECORDINGS_DIR: env.dir('/var/lib/pbx/recordings'),
    // Prompts, greetings and voicemail audio (docs/media.md): greetings are stored here, a purged tenant's
    // <dir>/tenants/<tenantId> is removed. The same path on FreeSWITCH, controller and worker.
    MEDIA_DIR: env.dir('/var/lib/pbx/media'),
    // Uploaded greetings: at most this many bytes (WAV, MP3 or OGG) and seconds of audio.
    GREETING_MAX_BYTES: env.int(10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    GREETING_MAX_SECONDS: env.int(300, 5, 3600),
    // Days a deleted tenant stays suspended (and restorable) before the worker purges it.
    TENANT_PURGE_GRACE_DAYS: env.int(30, 0, 3650),
    LOGIN_MAX_FAILURES: env.int(5, 1, 100),
    LOGIN_LOCK_MINUTES: env.int(15, 1, 24 * 60),
    // Whose X-Forwarded-For to believe for the client IP (rate limits, audit): false (default), true (any
    // hop: only when the API is unreachable except through the proxy), or a comma-separated list of proxy
    // addresses/CIDRs, e.g. the web portal's address.
    TRUST_PROXY: z
      .string()
      .regex(
        /^(true|false|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/,
        'expected true, false or proxy addresses/CIDRs separated by commas',
      )
      .default('false')
      .transform((v) => (v === 'true' ? true : v === 'false' ? false : v)),
    // Where recordings, voicemail audio and greetings are read from for download (docs/media.md, "Storage").
    ...storageEnv,
  }),
);

export type ApiConfig = z.infer<typeof apiEnvSchema>;

export function loadConfig(source: Record<string, string | undefined> = process.env): ApiConfig {
  return parseEnv(refuseExampleSecrets(apiEnvSchema), source);
}
