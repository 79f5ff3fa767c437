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
import { parseCidrList } from './allow-list.js';
import { parseEslNodes } from './events/nodes.js';

/** The largest `cacheable` FreeSWITCH 1.10 honours: it computes `cache_ms * 1000` in a 32-bit int (docs/freeswitch-facts.md §3). */
export const MAX_CACHEABLE_MS = 2_147_483;

const cidrList = z
  .string()
  .default('127.0.0.1/32,::1/128')
  .refine((v) => {
    try {
      parseCidrList(v);
      return true;
    } catch {
      return false;
    }
  }, 'expected a comma-separated list of CIDRs such as 127.0.0.1/32,10.0.0.0/8');

export const controllerEnvSchema = infraEnvSchema.extend({
  CONTROLLER_HTTP_HOST: env.host('127.0.0.1'),
  CONTROLLER_HTTP_PORT: env.port(8099),
  // mod_xml_curl gives up after its own time-out (3 s): a request that trickles in for longer is not FreeSWITCH.
  ...httpTimeoutsEnv('CONTROLLER_HTTP', { request: 10_000, headers: 10_000, keepAlive: 5_000 }),
  /**
   * Open connections one address may hold; more are closed as soon as they connect. FreeSWITCH opens one per
   * lookup in flight, so this must exceed a node's concurrent REGISTERs and call set-ups.
   */
  CONTROLLER_HTTP_MAX_CONNECTIONS_PER_ADDRESS: env.int(256, 1, 100_000),
  XML_CURL_USER: z
    .string()
    .min(1)
    .regex(/^[^:]+$/, 'must not contain ":"')
    .default('freeswitch'),
  XML_CURL_PASSWORD: env.secret(12),
  XML_CURL_ALLOW: cidrList,
  RECORDINGS_DIR: env.dir('/var/lib/pbx/recordings'),
  // Prompts, greetings and voicemail audio (@pbx/media's layout), shared with FreeSWITCH, API and worker.
  MEDIA_DIR: env.dir('/var/lib/pbx/media'),
  OUTBOUND_SOCKET_ADDRESS: z
    .string()
    .regex(/^[A-Z0-9.-]+:\d{1,5}$|^\[[0-9a-f:]+\]:\d{1,5}$/i, 'expected host:port')
    .default('127.0.0.1:8084'),
  /**
   * While Redis (the config-changed bus) is down, how often PostgreSQL is polled for configuration changes: the
   * bound on how long a change (say, a disabled extension) goes unseen during an outage.
   */
  CONFIG_POLL_MS: env.int(5_000, 100, 600_000),
  /**
   * On shutdown, how long IVR and voicemail sessions in progress may go on (no new ones are accepted; menus stop
   * re-prompting) before their sockets are closed and FreeSWITCH moves on to the dialplan's next action.
   */
  OUTBOUND_DRAIN_SEC: env.int(20, 0, 600),
  /**
   * mod_json_cdr's err-log-dir (freeswitch-conf json_cdr.conf.xml), shared with FreeSWITCH: the CDRs it gave up
   * posting are ingested from here and the files removed once committed. Unset: the directory is not read.
   */
  CDR_ERRLOG_DIR: env.dir(''),
  /** How often that directory is scanned (it is also scanned at start-up). */
  CDR_ERRLOG_SCAN_MS: env.int(30_000, 100, 3_600_000),
  /** How long an unknown domain or DID is remembered as unknown. */
  NEGATIVE_CACHE_SEC: env.int(30, 1, 3600),
  /**
   * How long FreeSWITCH keeps a directory user (the `cacheable` of every answer, ms). Every change is flushed on
   * every node at once; this only bounds how stale a user can get if a flush is lost. FreeSWITCH multiplies it by
   * 1000 into an `int` (src/switch_xml.c `switch_xml_locate_user_merged`): above 2147483 the entry is born expired
   * and nothing is cached at all, so larger values are refused here rather than silently disabling the cache.
   */
  DIRECTORY_CACHE_MS: z.coerce
    .number({ message: 'expected a whole number of milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(1, 'expected at least 1 ms')
    .max(
      MAX_CACHEABLE_MS,
      `expected at most ${MAX_CACHEABLE_MS} ms (~35 min): FreeSWITCH overflows a 32-bit int above it and then caches nothing`,
    )
    .default(1_800_000),
  /** FreeSWITCH event sockets to connect to: `host:port` or `name@host:port`, comma-separated. */
  ESL_NODES: z
    .string()
    .default('127.0.0.1:8021')
    .transform((v, ctx) => {
      try {
        return parseEslNodes(v);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `expected host:port or name@host:port, comma-separated: ${error instanceof Error ? error.message : String(error)}`,
        });
        return z.NEVER;
      }
    }),
  ESL_PASSWORD: z
    .string({ message: 'must be set' })
    .min(1, 'must be set')
    .regex(/^[^\r\n]+$/, 'must be one line'),
  // Decrypts trunk passwords for FreeSWITCH's sofia.conf (the API's key; docs/trunks.md).
  ...gatewaySecretEnv,
  // Where greetings recorded by phone are stored, as the API stores uploaded ones (docs/media.md, "Storage").
  ...storageEnv,
});

export type ControllerEnv = z.infer<typeof controllerEnvSchema>;

export function loadConfig(
  source: Record<string, string | undefined> = process.env,
): Readonly<ControllerEnv> {
  return parseEnv(refineStorageEnv(refuseExampleSecrets(controllerEnvSchema)), source);
}
