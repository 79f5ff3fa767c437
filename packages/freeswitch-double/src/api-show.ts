// `show channels|calls|registrations [as json]` with FreeSWITCH 1.10's columns and formatting.
import type { ApiHost, ApiResult } from './api-host.js';
import type { CallRuntime } from './engine.js';
import { localStamp } from './fs-event.js';
import { csv, showRegistrations } from './registrations.js';

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

/**
 * `show calls` (the `basic_calls` view of switch_core_sqldb.c): each leg's columns in this order; the A leg's
 * then the B leg's (prefixed `b_`), which lack call_uuid and hostname.
 */
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
const CALL_B = CALL_A.filter((k) => k !== 'call_uuid' && k !== 'hostname');

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

/** `show registrations|channels|channels count|calls [as json]`. */
export function showApi(host: ApiHost, arg: string): ApiResult {
  const json = / as json$/.test(arg);
  const what = arg.replace(/ as json$/, '').trim();
  if (what === 'registrations') return { body: showRegistrations(host.registrations(), host.hostname, json) };
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
