import { fsUrlEncode } from '../urlencode.js';

export type Field = readonly [name: string, value: string];

/** The switch that sends the lookup (REQUEST_PARAMS header values). */
export type FsIdentity = { hostname: string; coreUuid: string; ipv4: string; ipv6: string };

/** When an event was created: Event-Date-* and Event-Sequence. */
export type EventStamp = {
  date: Date;
  sequence: number;
  /** µs since the epoch; defaults to date × 1000. */ timestampUs?: string;
};

export const DEFAULT_IDENTITY: FsIdentity = {
  hostname: 'vm',
  coreUuid: 'd13a8ddf-3bc0-4ff9-b2f9-a8052078b909',
  ipv4: '192.0.2.2',
  ipv6: 'fd00::2',
};

const DAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** `2026-11-22 22:49:50` (the switch's local time; the double runs it in UTC). */
export function fsLocalDate(d: Date): string {
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** `Sun, 22 Nov 2026 22:49:50 GMT` */
export function fsGmtDate(d: Date): string {
  return `${DAY[d.getUTCDay()] ?? ''}, ${p2(d.getUTCDate())} ${MON[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} GMT`;
}

export function timestampUs(stamp: EventStamp): string {
  return stamp.timestampUs ?? `${stamp.date.getTime()}000`;
}

/** The header block every event FreeSWITCH creates starts with (switch_event.c). */
export function eventHeaders(
  id: FsIdentity,
  stamp: EventStamp,
  calling: { file: string; func: string; line: number },
  prefix = '',
): Field[] {
  return [
    [`${prefix}Event-Name`, 'REQUEST_PARAMS'],
    [`${prefix}Core-UUID`, id.coreUuid],
    [`${prefix}FreeSWITCH-Hostname`, id.hostname],
    [`${prefix}FreeSWITCH-Switchname`, id.hostname],
    [`${prefix}FreeSWITCH-IPv4`, id.ipv4],
    [`${prefix}FreeSWITCH-IPv6`, id.ipv6],
    [`${prefix}Event-Date-Local`, fsLocalDate(stamp.date)],
    [`${prefix}Event-Date-GMT`, fsGmtDate(stamp.date)],
    [`${prefix}Event-Date-Timestamp`, timestampUs(stamp)],
    [`${prefix}Event-Calling-File`, calling.file],
    [`${prefix}Event-Calling-Function`, calling.func],
    [`${prefix}Event-Calling-Line-Number`, String(calling.line)],
    [`${prefix}Event-Sequence`, String(stamp.sequence)],
  ];
}

/**
 * mod_xml_curl's body: the five lookup keys verbatim (not encoded), then every
 * params-event header as `&name=<FreeSWITCH-url-encoded value>`.
 */
export function encodeBody(fields: readonly Field[]): string {
  return fields.map(([name, value], i) => `${name}=${i < 5 ? value : fsUrlEncode(value)}`).join('&');
}

/** Splits a body back into fields (order kept, values still encoded). */
export function splitBody(body: string): Field[] {
  return body.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? ([pair, ''] as const) : ([pair.slice(0, eq), pair.slice(eq + 1)] as const);
  });
}
