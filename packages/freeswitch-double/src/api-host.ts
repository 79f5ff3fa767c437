// What the api commands need from the double, and what one returns.
import type { CallRuntime } from './engine.js';
import type { Registration } from './registrations.js';
import type { SofiaGatewayTable } from './sofia-gateways.js';
import type { UserCache } from './user-cache.js';

export interface ApiHost {
  readonly hostname: string;
  readonly startedAt: number;
  sessionsSinceStartup(): number;
  calls(): CallRuntime[];
  registrations(): Registration[];
  profiles(): Array<{ name: string; port: number }>;
  globalVars: Map<string, string>;
  /** The core's directory user cache (switch_xml.c), cleared by `xml_flush_cache`. */
  readonly userCache: UserCache;
  /** `sofia profile <p> flush_inbound_reg [<call-id>|<user@host>]`: expires the matching registrations. */
  flushInboundReg(profile: string, target: string | undefined): void;
  /** The profiles' gateways (`sofia profile <p> startgw|killgw`). */
  readonly trunks: SofiaGatewayTable;
}

export interface ApiResult {
  body: string;
  /** uuid_kill etc. act on a channel after the reply is written. */
  after?: () => void;
}
