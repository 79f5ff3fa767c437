import { env, httpTimeoutsEnv, infraEnvSchema, parseEnv, z } from '@pbx/config';
import { parseCidrList } from './allow-list.js';
import { parseEslNodes } from './events/nodes.js';

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
  RECORDINGS_DIR: z
    .string()
    .regex(/^\/[\w./-]*$/, 'expected an absolute path of letters, digits, . _ / -')
    .default('/var/lib/pbx/recordings'),
  OUTBOUND_SOCKET_ADDRESS: z
    .string()
    .regex(/^[A-Z0-9.-]+:\d{1,5}$|^\[[0-9a-f:]+\]:\d{1,5}$/i, 'expected host:port')
    .default('127.0.0.1:8084'),
  /** How long an unknown domain or DID is remembered as unknown. */
  NEGATIVE_CACHE_SEC: env.int(30, 1, 3600),
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
});

export type ControllerEnv = z.infer<typeof controllerEnvSchema>;

export function loadConfig(
  source: Record<string, string | undefined> = process.env,
): Readonly<ControllerEnv> {
  return parseEnv(controllerEnvSchema, source);
}
