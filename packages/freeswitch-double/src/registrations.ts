// Registrations as mod_sofia keeps them, rendered in the formats of the captures.
import { localStamp } from './fs-event.js';

export interface Registration {
  /** The To user and host: what the registration is filed under. */
  user: string;
  domain: string;
  /** The digest realm the phone authenticated in (defaults to `domain`); differs in a cross-realm REGISTER. */
  realm?: string;
  /** The From header's host (the register event's `to-host`, see docs/freeswitch-facts.md §1); defaults to `domain`. */
  fromHost?: string;
  profile: string;
  callId: string;
  contactHost: string;
  contactPort: number;
  networkIp: string;
  networkPort: number;
  userAgent: string;
  /** Expires the phone asked for, seconds. */
  expiresSec: number;
  /** Epoch seconds of the REGISTER. */
  registeredAt: number;
  /** Directory variables echoed in sofia::register (user_context, accountcode, …). */
  directoryVars: Record<string, string>;
}

/** sofia's late margin: the stored expiry is REGISTER time + Expires + 60 (README observation 17). */
export const LATE_MARGIN_SEC = 60;

export function storedExpires(r: Registration): number {
  return r.registeredAt + r.expiresSec + LATE_MARGIN_SEC;
}

export function contactOf(r: Registration): string {
  return `"" <sip:${r.user}@${r.contactHost}:${r.contactPort}>`;
}

export function urlOf(r: Registration): string {
  return `sofia/${r.profile}/sip:${r.user}@${r.contactHost}:${r.contactPort}`;
}

const COLUMNS = [
  'reg_user',
  'realm',
  'token',
  'url',
  'expires',
  'network_ip',
  'network_port',
  'network_proto',
  'hostname',
  'metadata',
] as const;

function row(r: Registration, hostname: string): Record<(typeof COLUMNS)[number], string> {
  return {
    reg_user: r.user,
    realm: r.domain,
    token: r.callId,
    url: urlOf(r),
    expires: String(storedExpires(r)),
    network_ip: r.networkIp,
    network_port: String(r.networkPort),
    network_proto: 'udp',
    hostname,
    metadata: '',
  };
}

export function showRegistrations(regs: Registration[], hostname: string, json: boolean): string {
  if (json) {
    if (regs.length === 0) return '{"row_count": 0}\n';
    return JSON.stringify({ row_count: regs.length, rows: regs.map((r) => row(r, hostname)) });
  }
  return csv(
    [...COLUMNS],
    regs.map((r) => Object.values(row(r, hostname))),
  );
}

export function csv(columns: string[], rows: string[][]): string {
  if (rows.length === 0) return '\n0 total.\n';
  return `${columns.join(',')}\n${rows.map((r) => r.join(',')).join('\n')}\n\n${rows.length} total.\n`;
}

const RULE = '='.repeat(97);

export function sofiaStatusReg(
  regs: Registration[],
  hostname: string,
  nowSec: number,
  filter: string | undefined,
): string {
  // The filter matches single columns (user, contact, call-id…), so `1001@acme.test` finds nothing.
  const shown = filter
    ? regs.filter((r) =>
        [r.user, r.callId, contactOf(r), r.userAgent, r.networkIp].some((c) => c.includes(filter)),
      )
    : regs;
  let out = `\nRegistrations:\n${RULE}\n`;
  for (const r of shown) {
    const exp = storedExpires(r);
    out +=
      `Call-ID:    \t${r.callId}\n` +
      `User:       \t${r.user}@${r.domain}\n` +
      `Contact:    \t${contactOf(r)}\n` +
      `Agent:      \t${r.userAgent}\n` +
      `Status:     \tRegistered(UDP)(unknown) EXP(${localStamp(new Date(exp * 1000))}) EXPSECS(${exp - nowSec})\n` +
      `Ping-Status:\tReachable\n` +
      `Ping-Time:\t0.00\n` +
      `Host:       \t${hostname}\n` +
      `IP:         \t${r.networkIp}\n` +
      `Port:       \t${r.networkPort}\n` +
      `Auth-User:  \t${r.user}\n` +
      `Auth-Realm: \t${r.domain}\n` +
      `MWI-Account:\t${r.user}@${r.domain}\n\n`;
  }
  return `${out}Total items returned: ${shown.length}\n${RULE}\n`;
}
