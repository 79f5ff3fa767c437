// The adapter's subclasses of modesl 1.2.1 (plain JS, no types). Every modesl internal they use (private
// methods, internal files) is declared and checked in modesl-internals.ts; nothing else touches modesl.
// SafeConnection neutralises the 1.2.1 defects that live inside modesl itself (docs/freeswitch-facts.md):
//   1. Parser._parseHeaderText calls decodeURIComponent without a try: a non-UTF-8 escape such as
//      `Jos%E9` throws URIError out of the socket 'data' handler and kills the process.
//      SafeParser decodes with fsUrlDecode instead.
//   3. The outbound Connection sends `event json BACKGROUND_JOB CHANNEL_EXECUTE_COMPLETE` right after
//      `connect` (and the inbound one after auth). FreeSWITCH answers `-ERR command not found` on a
//      socket that is not `full`. SafeConnection.subscribe never writes; the adapter subscribes itself.
// Defects 2 (execute() uses send() so its +OK steals the next reply) and 4 (execute() never settles
// when the socket drops) are avoided by never calling modesl's execute(): the adapter sends sendmsg
// through sendRecv and tracks completion and disconnects itself.
// Not a defect but a cost: Connection.send writes a command line by line; SafeConnection.send writes it at once.
import type { Socket } from 'node:net';
import { FrameReader } from '../wire/frame-reader.js';
import { EventHeaders } from '../wire/headers.js';
import { fsUrlDecode } from '../wire/urlencode.js';
import {
  RawConnection,
  RawEvent,
  RawParser,
  type FrameHook,
  type ModeslConnection,
  type ModeslEvent,
  type ModeslHeader,
} from './modesl-internals.js';

export { rawModesl } from './modesl-internals.js';
export type { FrameHook, ModeslConnection, ModeslEvent, ModeslHeader } from './modesl-internals.js';

/**
 * A modesl Event for a text/event-plain frame that keeps the lazily decoded header block instead of
 * modesl's header array (modesl builds the array with one linear search per header, quadratic in the
 * ~275 headers of a channel event). Behaves like modesl's Event: the array is built on first use of
 * `headers` (after which the array is authoritative), getHeader/addHeader answer from the block until then.
 * Its type (Event-Name) is read off the frame's first line; nothing else is decoded until asked for.
 */
export class PlainFrameEvent extends RawEvent {
  private headerArray: ModeslHeader[] | undefined;
  readonly block: EventHeaders;
  /** Headers added after parsing (modesl's addHeader); rare, so made on first use. */
  private added: Map<string, unknown> | undefined;
  private bodyText: string | undefined;

  constructor(block: EventHeaders) {
    super();
    this.block = block;
    this.added = undefined;
    this.headerArray = undefined;
    this.bodyText = undefined;
    this.type = block.eventName() ?? '';
    // Only CUSTOM events have one; reading it indexes the block.
    this.subclass = this.type === 'CUSTOM' ? block.get('Event-Subclass') : undefined;
  }

  override get headers(): ModeslHeader[] {
    if (!this.headerArray) {
      const record: Record<string, unknown> = { ...this.block.toRecord() };
      for (const [name, value] of this.added ?? []) record[name] = value;
      this.headerArray = Object.keys(record).map((name) => ({ name, value: record[name] }));
    }
    return this.headerArray;
  }

  override set headers(value: ModeslHeader[]) {
    // modesl's constructor assigns [] before `block` exists; that is not a real header list.
    if (this.block !== undefined) this.headerArray = value;
  }

  /** The event's own body (after its header block), decoded on first read. */
  override get body(): string {
    this.bodyText ??= this.block.trailer();
    return this.bodyText;
  }

  override set body(value: string) {
    // modesl's constructor assigns '' before `block` exists.
    if (this.block !== undefined) this.bodyText = value;
  }

  override getHeader(name: string): string | undefined {
    if (this.headerArray) return super.getHeader(name);
    if (this.added?.has(name)) return this.added.get(name) as string | undefined;
    // modesl answers null for a missing header.
    return (this.block.get(name) ?? null) as string | undefined;
  }

  override addHeader(name: string, value: unknown): unknown {
    if (this.headerArray) return super.addHeader(name, value);
    (this.added ??= new Map()).set(name, value);
    return value;
  }

  /** The header block, as long as nothing turned it into modesl's array or added headers to it. */
  headerBlock(): EventHeaders | undefined {
    return this.headerArray || this.added ? undefined : this.block;
  }
}

const CONTENT_LENGTH = 'Content-Length: ';
const PLAIN_EVENT_HEAD = '\nContent-Type: text/event-plain';
type PlainEventSink = (event: PlainFrameEvent, headers: Record<string, unknown>) => void;

class SafeParser extends RawParser {
  private readonly reader = new FrameReader(
    (head, length, body) => this.onFrame(head, length, body),
    (err) => this.emit('error', err instanceof Error ? err : new Error(String(err))),
  );
  /** Set by the connection: plain events go straight to it, not through EventEmitter2's wildcard tree. */
  plainEventSink: PlainEventSink | undefined;

  // Replaces modesl's buffering (see frame-reader.ts); modesl's constructor binds this as the 'data' handler.
  override _onData(chunk: Buffer): void {
    this.reader.push(chunk);
  }

  private onFrame(head: string, length: number, body: Buffer | undefined): void {
    // Nearly every frame is an event whose outer block FreeSWITCH writes as exactly these two lines.
    const headers =
      length > 0 &&
      head.length === CONTENT_LENGTH.length + String(length).length + PLAIN_EVENT_HEAD.length &&
      head.startsWith(CONTENT_LENGTH) &&
      head.endsWith(PLAIN_EVENT_HEAD)
        ? { 'Content-Length': length, 'Content-Type': 'text/event-plain' }
        : this._parseHeaderText(head);
    if (length > 0) headers['Content-Length'] = length;
    if (headers['Content-Type'] === 'text/event-plain' && body && this.plainEventSink) {
      this.plainEventSink(new PlainFrameEvent(EventHeaders.fromBytes(body)), headers);
      return;
    }
    // Everything else (replies, api responses, json/xml events, notices) as modesl itself reads it.
    this._parseEvent(headers, body?.toString('utf8'));
  }

  // modesl's own version calls decodeURIComponent unguarded (defect 1). Used for the frame's outer
  // headers (two or three lines) and the bodies modesl parses itself.
  override _parseHeaderText(txt: string): Record<string, unknown> {
    const headers: Record<string, unknown> = {};
    for (const line of txt.split('\n')) {
      const at = line.indexOf(': ');
      const key = at === -1 ? line : line.slice(0, at);
      const value = at === -1 ? '' : fsUrlDecode(line.slice(at + 2));
      headers[key] = key === 'Content-Length' ? parseInt(value, 10) : value;
    }
    return headers;
  }
}

class SafeConnectionImpl extends RawConnection {
  // Same as modesl's _onConnect, but with the non-throwing parser.
  override _onConnect(): void {
    if (!this.socket) return;
    const parser = new SafeParser(this.socket);
    parser.plainEventSink = (event, headers) => this._onEvent(event, headers, undefined);
    this.parser = parser;
    this.parser.on('esl::event', (event: ModeslEvent, headers: Record<string, unknown>, body?: string) => {
      this._onEvent(event, headers, body);
    });
    this.parser.on('error', (err: Error) => this._onError(err));
    this.emit('esl::connect');
    this.connecting = false;
    this.on('esl::event::auth::request', () => this.auth());
  }

  override _onEvent(event: ModeslEvent, headers: Record<string, unknown>, body?: string): void {
    this.frameHook?.(event, headers, body);
    // Event frames go to the adapter through the hook only. modesl would also emit each one as
    // `esl::event::<NAME>::<uuid>` through EventEmitter2's wildcard tree, for its own execute()/bgapi()
    // callbacks, which the adapter never uses (see the header): a third of the cost of an event.
    if (this.frameHook && headers['Content-Type'] === 'text/event-plain') return;
    super._onEvent(event, headers, body);
  }

  // modesl writes a command one line at a time: a socket.write (a syscall, and with TCP_NODELAY a segment the peer
  // reads on its own) per header, seven for a sendmsg with five headers. One frame is one write.
  override send(command: string, args?: Record<string, string>): void {
    let frame = `${command}\n`;
    if (args) for (const key of Object.keys(args)) frame += `${key}: ${args[key]}\n`;
    try {
      this.socket?.write(`${frame}\n`);
    } catch (e) {
      this.emit('error', e);
    }
  }

  override subscribe(_events: unknown, cb?: () => void): void {
    // Never auto-subscribe (defect 3); the adapter owns every subscription.
    if (typeof cb === 'function') cb();
  }
}

export function createInboundConnection(
  host: string,
  port: number,
  password: string,
  hook: FrameHook,
): ModeslConnection {
  // The hook must exist before the first frame; frames only arrive after the async connect.
  const conn = new SafeConnectionImpl(host, port, password);
  conn.frameHook = hook;
  return conn;
}

export function createOutboundConnection(socket: Socket, hook: FrameHook): ModeslConnection {
  // The constructor writes `connect` at once; the reply arrives on a later tick, after the hook is set.
  const conn = new SafeConnectionImpl(socket);
  conn.frameHook = hook;
  return conn;
}

export function headerString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => headerString(v)).join('|');
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
