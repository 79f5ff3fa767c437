import { env, infraEnvSchema, parseEnv, refuseExampleSecrets, z } from '@pbx/config';
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
  XML_CURL_USER: z
    .string()
    .min(1)
    .regex(/^[^:]+$/, 'must not contain ":"')
    .default('freeswitch'),
  XML_CURL_PASSWORD: env.secret(12),
  XML_CURL_ALLOW: cidrList,
  RECORDINGS_DIR: env.dir('/var/lib/pbx/recordings'),
  OUTBOUND_SOCKET_ADDRESS: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'expected host:port')
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
  return parseEnv(refuseExampleSecrets(controllerEnvSchema), source);
}
