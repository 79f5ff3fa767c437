// A FreeSWITCH event as the double builds it: an ordered header list (duplicates allowed, as in
// CHANNEL_HANGUP_COMPLETE's two Hangup-Cause headers) and an optional body, serialised exactly as
// mod_event_socket does for `event plain` and `event json`.
import { fsUrlEncode } from './urlencode.js';

export type Header = readonly [name: string, value: string];

export interface EventOrigin {
  file: string;
  func: string;
  line: number;
}

export class FsEvent {
  readonly headers: Header[] = [];
  body: string | undefined;

  constructor(
    readonly name: string,
    readonly subclass?: string,
  ) {}

  add(name: string, value: string | number | undefined): this {
    // FreeSWITCH never stores empty header values: "absent" and "empty" look the same on the wire.
    if (value === undefined || value === '') return this;
    this.headers.push([name, String(value)]);
    return this;
  }

  addAll(headers: Iterable<Header>): this {
    for (const [n, v] of headers) this.add(n, v);
    return this;
  }

  get(name: string): string | undefined {
    return this.headers.find(([n]) => n === name)?.[1];
  }

  /** Body of a `text/event-plain` frame. */
  toPlain(): Buffer {
    let text = '';
    for (const [n, v] of this.headers) text += `${n}: ${fsUrlEncode(v)}\n`;
    if (this.body !== undefined) {
      text += `Content-Length: ${Buffer.byteLength(this.body)}\n\n${this.body}`;
    } else {
      text += '\n';
    }
    return Buffer.from(text, 'utf8');
  }

  /** Body of a `text/event-json` frame: cJSON_PrintUnformatted, every value a string, duplicate keys kept. */
  toJson(): Buffer {
    const parts = this.headers.map(([n, v]) => `${JSON.stringify(n)}:${JSON.stringify(v)}`);
    if (this.body !== undefined) {
      parts.push(
        `"Content-Length":"${Buffer.byteLength(this.body)}"`,
        `"_body":${JSON.stringify(this.body)}`,
      );
    }
    return Buffer.from(`{${parts.join(',')}}`, 'utf8');
  }
}

export interface NodeIdentity {
  coreUuid: string;
  hostname: string;
  ipv4: string;
  ipv6: string;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Event-Date-Local in the double's zone (UTC, as the capture host). */
export function localStamp(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export class EventFactory {
  private sequence: number;

  constructor(
    private readonly id: NodeIdentity,
    firstSequence = 400,
  ) {
    this.sequence = firstSequence;
  }

  nowUs(): number {
    return Date.now() * 1000 + Math.floor(Math.random() * 1000);
  }

  /** The 13 headers every event FreeSWITCH creates starts with (switch_event.c:1972-2002). */
  create(name: string, origin: EventOrigin, subclass?: string, atUs = this.nowUs()): FsEvent {
    const e = new FsEvent(name, subclass);
    // CUSTOM events carry Event-Subclass before Event-Name.
    if (subclass) e.add('Event-Subclass', subclass);
    const d = new Date(Math.floor(atUs / 1000));
    e.add('Event-Name', name)
      .add('Core-UUID', this.id.coreUuid)
      .add('FreeSWITCH-Hostname', this.id.hostname)
      .add('FreeSWITCH-Switchname', this.id.hostname)
      .add('FreeSWITCH-IPv4', this.id.ipv4)
      .add('FreeSWITCH-IPv6', this.id.ipv6)
      .add('Event-Date-Local', localStamp(d))
      .add('Event-Date-GMT', d.toUTCString())
      .add('Event-Date-Timestamp', atUs)
      .add('Event-Calling-File', origin.file)
      .add('Event-Calling-Function', origin.func)
      .add('Event-Calling-Line-Number', origin.line)
      .add('Event-Sequence', ++this.sequence);
    return e;
  }
}

/** Where FreeSWITCH 1.10.12 fires each event (Event-Calling-* headers, from the captures). */
export const ORIGINS = {
  API: { file: 'switch_loadable_module.c', func: 'switch_api_execute', line: 2954 },
  BACKGROUND_JOB: { file: 'mod_event_socket.c', func: 'api_exec', line: 1572 },
  CHANNEL_DATA: { file: 'mod_event_socket.c', func: 'parse_command', line: 2021 },
  CHANNEL_CREATE: { file: 'switch_core_state_machine.c', func: 'switch_core_session_run', line: 626 },
  CHANNEL_ANSWER: { file: 'switch_channel.c', func: 'switch_channel_perform_mark_answered', line: 3846 },
  CHANNEL_BRIDGE: { file: 'switch_ivr_bridge.c', func: 'switch_ivr_multi_threaded_bridge', line: 1689 },
  CHANNEL_UNBRIDGE: { file: 'switch_ivr_bridge.c', func: 'switch_ivr_multi_threaded_bridge', line: 1879 },
  CHANNEL_EXECUTE: { file: 'switch_core_session.c', func: 'switch_core_session_exec', line: 2944 },
  CHANNEL_EXECUTE_COMPLETE: { file: 'switch_core_session.c', func: 'switch_core_session_exec', line: 2967 },
  CHANNEL_HANGUP: { file: 'switch_channel.c', func: 'switch_channel_perform_hangup', line: 3445 },
  CHANNEL_HANGUP_COMPLETE: {
    file: 'switch_core_state_machine.c',
    func: 'switch_core_session_reporting_state',
    line: 943,
  },
  CHANNEL_DESTROY: { file: 'switch_core_session.c', func: 'switch_core_session_perform_destroy', line: 1584 },
  CHANNEL_STATE: { file: 'switch_channel.c', func: 'switch_channel_perform_set_running_state', line: 2408 },
  CHANNEL_PARK: { file: 'switch_ivr.c', func: 'switch_ivr_park', line: 1002 },
  CHANNEL_UNPARK: { file: 'switch_ivr.c', func: 'switch_ivr_park', line: 1213 },
  DTMF: { file: 'switch_channel.c', func: 'switch_channel_dequeue_dtmf', line: 677 },
  PLAYBACK_START: { file: 'switch_ivr_play_say.c', func: 'switch_ivr_play_file', line: 1646 },
  PLAYBACK_STOP: { file: 'switch_ivr_play_say.c', func: 'switch_ivr_play_file', line: 2020 },
  RECORD_START: { file: 'switch_ivr_async.c', func: 'record_callback', line: 1481 },
  RECORD_STOP: { file: 'switch_ivr_async.c', func: 'send_record_stop_event', line: 1240 },
  HEARTBEAT: { file: 'switch_core.c', func: 'send_heartbeat', line: 95 },
  REGISTER: { file: 'sofia_reg.c', func: 'sofia_reg_handle_register_token', line: 2059 },
  UNREGISTER: { file: 'sofia_reg.c', func: 'sofia_reg_handle_register_token', line: 2213 },
  REGISTER_FAILURE: { file: 'sofia_reg.c', func: 'sofia_reg_handle_register_token', line: 1792 },
  EXPIRE: { file: 'sofia_reg.c', func: 'sofia_reg_del_callback', line: 726 },
} satisfies Record<string, EventOrigin>;
