// The api commands a PBX controller uses, with FreeSWITCH 1.10's exact output.
import { localStamp } from './fs-event.js';
import type { CallRuntime } from './engine.js';
import { csv, showRegistrations, sofiaStatusReg, type Registration } from './registrations.js';
import { xmlFlushCache, type UserCache } from './user-cache.js';

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
}

const CHANNEL_COLUMNS = [
  'uuid',
  'direction',
  'created',
  'created_epoch',
  'name',
  'state',
  'cid_name',
  'cid_num',
  'ip_addr',
  'dest',
  'application',
  'application_data',
  'dialplan',
  'context',
  'read_codec',
  'read_rate',
  'read_bit_rate',
  'write_codec',
  'write_rate',
  'write_bit_rate',
  'secure',
  'hostname',
  'presence_id',
  'presence_data',
  'accountcode',
  'callstate',
  'callee_name',
  'callee_num',
  'callee_direction',
  'call_uuid',
  'sent_callee_name',
  'sent_callee_num',
  'initial_cid_name',
  'initial_cid_num',
  'initial_ip_addr',
  'initial_dest',
  'initial_dialplan',
  'initial_context',
] as const;

function channelRow(rt: CallRuntime, hostname: string): Record<string, string> {
  const ch = rt.ch;
  const p = ch.profile;
  const createdSec = Math.floor(ch.times.created / 1_000_000);
  const app = rt.currentApp ?? (ch.socketApp ? { app: 'socket', data: ch.socketApp.data } : undefined);
  const callee = p.calleeIdNumber ? 'SEND' : '';
  const row: Record<string, string> = {
    uuid: ch.uuid,
    direction: p.direction,
    created: localStamp(new Date(createdSec * 1000)),
    created_epoch: String(createdSec),
    name: p.channelName,
    state: ch.state,
    cid_name: p.callerIdName,
    cid_num: p.callerIdNumber,
    ip_addr: p.networkAddr,
    dest: p.destinationNumber,
    application: app?.app ?? '',
    application_data: app?.data ?? '',
    dialplan: 'XML',
    context: p.context,
    read_codec: 'PCMU',
    read_rate: '8000',
    read_bit_rate: '64000',
    write_codec: 'PCMU',
    write_rate: '8000',
    write_bit_rate: '64000',
    secure: '',
    hostname,
    presence_id: '',
    presence_data: '',
    accountcode: ch.vars.get('accountcode') ?? '',
    callstate: ch.callState,
    callee_name: p.calleeIdName ?? '',
    callee_num: p.calleeIdNumber ?? '',
    callee_direction: callee,
    call_uuid: ch.callUuid,
    sent_callee_name: p.calleeIdName ?? '',
    sent_callee_num: p.calleeIdNumber ?? '',
    initial_cid_name: p.callerIdName,
    initial_cid_num: p.callerIdNumber,
    initial_ip_addr: p.networkAddr,
    initial_dest: p.destinationNumber,
    initial_dialplan: 'XML',
    initial_context: p.context,
  };
  return row;
}

const CALL_A = [
  'uuid',
  'direction',
  'created',
  'created_epoch',
  'name',
  'state',
  'cid_name',
  'cid_num',
  'ip_addr',
  'dest',
  'presence_id',
  'presence_data',
  'accountcode',
  'callstate',
  'callee_name',
  'callee_num',
  'callee_direction',
  'call_uuid',
  'hostname',
  'sent_callee_name',
  'sent_callee_num',
];
const CALL_B = [
  'uuid',
  'direction',
  'created',
  'created_epoch',
  'name',
  'state',
  'cid_name',
  'cid_num',
  'ip_addr',
  'dest',
  'presence_id',
  'presence_data',
  'accountcode',
  'callstate',
  'callee_name',
  'callee_num',
  'callee_direction',
  'sent_callee_name',
  'sent_callee_num',
];

function callRows(all: CallRuntime[], hostname: string): Array<Record<string, string>> {
  const byUuid = new Map(all.map((c) => [c.uuid, c]));
  const rows: Array<Record<string, string>> = [];
  for (const c of all) {
    // B legs appear as the b_ half of their A leg's row.
    if (c.ch.profile.direction === 'outbound' && c.ch.callUuid !== c.uuid && byUuid.has(c.ch.callUuid))
      continue;
    const a = channelRow(c, hostname);
    const row: Record<string, string> = {};
    for (const k of CALL_A) row[k] = a[k] ?? '';
    const bLeg = c.ch.otherLeg?.type === 'originatee' ? byUuid.get(c.ch.otherLeg.channel.uuid) : undefined;
    const b = bLeg ? channelRow(bLeg, hostname) : undefined;
    for (const k of CALL_B) row[`b_${k}`] = b?.[k] ?? '';
    row['call_created_epoch'] = a['created_epoch'] ?? '';
    rows.push(row);
  }
  return rows;
}

function jsonRows(rows: Array<Record<string, string>>): string {
  // Empty: `{"row_count": 0}` with a space and a newline; otherwise compact with no newline.
  if (rows.length === 0) return '{"row_count": 0}\n';
  return JSON.stringify({ row_count: rows.length, rows });
}

function status(host: ApiHost): string {
  let ms = Date.now() - host.startedAt;
  const days = Math.floor(ms / 86_400_000);
  ms -= days * 86_400_000;
  const hours = Math.floor(ms / 3_600_000);
  ms -= hours * 3_600_000;
  const minutes = Math.floor(ms / 60_000);
  ms -= minutes * 60_000;
  const seconds = Math.floor(ms / 1000);
  ms -= seconds * 1000;
  const n = host.calls().length;
  return (
    `UP 0 years, ${days} days, ${hours} hours, ${minutes} minutes, ${seconds} seconds, ${ms} milliseconds, 0 microseconds\n` +
    `FreeSWITCH (Version 1.10.12-release git cc93a68 2026-08-21 14:10:14Z 64bit) is ready\n` +
    `${host.sessionsSinceStartup()} session(s) since startup\n` +
    `${n} session(s) - peak ${n}, last 5min ${n} \n` +
    `0 session(s) per Sec out of max 200, peak 0, last 5min 0 \n` +
    `2000 session(s) max\n` +
    `min idle cpu 0.00/100.00\n` +
    `Current Stack Size/Max 240K/8192K\n`
  );
}

function sofiaStatus(host: ApiHost): string {
  const rule = '='.repeat(97);
  let out = `${'Name'.padStart(25)}\t${'Type'.padStart(7)}\t${'Data'.padStart(42)}\tState\n${rule}\n`;
  const profiles = host.profiles();
  for (const p of profiles) {
    out += `${p.name.padStart(25)}\t${'profile'.padStart(7)}\t${`sip:mod_sofia@127.0.0.1:${p.port}`.padStart(42)}\tRUNNING (0)\n`;
  }
  return `${out}${rule}\n${profiles.length} profiles 0 aliases\n`;
}

export interface ApiResult {
  body: string;
  /** uuid_kill etc. act on a channel after the reply is written. */
  after?: () => void;
}

/** Runs one api command line. */
export function runApi(host: ApiHost, line: string): ApiResult {
  const trimmed = line.trim();
  const sp = trimmed.indexOf(' ');
  const cmd = sp === -1 ? trimmed : trimmed.slice(0, sp);
  const arg = sp === -1 ? '' : trimmed.slice(sp + 1).trim();
  const args = arg.split(/\s+/).filter(Boolean);
  const find = (uuid: string | undefined) => host.calls().find((c) => c.uuid === uuid);
  switch (cmd) {
    case 'status':
      return { body: status(host) };
    case 'show': {
      const json = / as json$/.test(arg);
      const what = arg.replace(/ as json$/, '').trim();
      if (what === 'registrations')
        return { body: showRegistrations(host.registrations(), host.hostname, json) };
      if (what === 'channels') {
        const rows = host.calls().map((c) => channelRow(c, host.hostname));
        return {
          body: json
            ? jsonRows(rows)
            : csv(
                [...CHANNEL_COLUMNS],
                rows.map((r) => CHANNEL_COLUMNS.map((k) => r[k] ?? '')),
              ),
        };
      }
      if (what === 'channels count') {
        const n = host.calls().length;
        return { body: json ? `{"row_count":${n}}\n` : `\n${n} total.\n` };
      }
      if (what === 'calls') {
        const rows = callRows(host.calls(), host.hostname);
        const cols = rows[0] ? Object.keys(rows[0]) : [];
        return {
          body: json
            ? jsonRows(rows)
            : csv(
                cols,
                rows.map((r) => cols.map((k) => r[k] ?? '')),
              ),
        };
      }
      return { body: '-USAGE: show <channels|calls|registrations|...> [as json]\n' };
    }
    case 'uuid_kill': {
      const c = find(args[0]);
      if (!c) return { body: '-ERR No such channel!\n' };
      return { body: '+OK\n', after: () => c.hangup(args[1] ?? 'NORMAL_CLEARING') };
    }
    case 'uuid_exists':
      return { body: find(args[0]) ? 'true' : 'false' };
    case 'uuid_getvar': {
      const c = find(args[0]);
      if (!c) return { body: '-ERR No such channel!\n' };
      return { body: c.ch.vars.get(args[1] ?? '') ?? '_undef_' };
    }
    case 'global_getvar': {
      const v = host.globalVars.get(arg);
      return { body: v ?? '-ERR no reply\n' };
    }
    case 'sofia': {
      if (args[0] === 'status' && args.length === 1) return { body: sofiaStatus(host) };
      if (args[0] === 'status' && args[1] === 'profile' && args[3] === 'reg') {
        const profile = args[2] ?? '';
        const regs = host.registrations().filter((r) => r.profile === profile);
        return { body: sofiaStatusReg(regs, host.hostname, Math.floor(Date.now() / 1000), args[4]) };
      }
      if (args[0] === 'profile' && args[2] === 'flush_inbound_reg') {
        // mod_sofia.c `sofia profile … flush_inbound_reg [<call-id>|<user@host>] [reboot]`.
        const profile = args[1] ?? '';
        if (!host.profiles().some((p) => p.name === profile)) return { body: `Invalid Profile [${profile}]` };
        const target = args[3] === 'reboot' ? undefined : args[3];
        const verb = args.includes('reboot') ? 'rebooting' : 'flushing';
        host.flushInboundReg(profile, target);
        return {
          body: target
            ? `+OK ${verb} all registrations matching specified call_id\n`
            : `+OK ${verb} all registrations\n`,
        };
      }
      return { body: '-ERR Usage: sofia status [profile <name> reg [<filter>]]\n' };
    }
    case 'xml_flush_cache':
      return { body: xmlFlushCache(host.userCache, arg) };
    case 'sofia_contact': {
      const m = /^(?:[^/]*\/)?([^@]+)@(.+)$/.exec(arg);
      const r = m ? host.registrations().find((x) => x.user === m[1] && x.domain === m[2]) : undefined;
      return {
        body: r
          ? `sofia/${r.profile}/sip:${r.user}@${r.contactHost}:${r.contactPort}`
          : 'error/user_not_registered',
      };
    }
    default:
      return { body: `-ERR ${cmd} Command not found!\n` };
  }
}
