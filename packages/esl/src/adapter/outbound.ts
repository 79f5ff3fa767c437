// Outbound mode: FreeSWITCH's `socket host:port async full` dialplan app connects here, and each
// connection becomes a typed OutboundCall handed to the handler.
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { EslCommandError, EslHangupError, EslNotConnectedError } from './errors.js';
import {
  EslEventParseError,
  parseChannelData,
  toTypedEvent,
  type ChannelData,
  type ChannelExecuteCompleteEvent,
  type EslEvent,
} from './events.js';
import { Listeners } from './listeners.js';
import { createOutboundConnection, type ModeslConnection, type ModeslEvent } from './modesl.js';
import { PendingSet } from './pending.js';
import { isEventContentType, toRawEvent } from './raw.js';
import { buildSendmsg, replyText, type ExecuteOptions } from './sendmsg.js';

export interface OutboundServerOptions {
  host?: string;
  /** 0 picks a free port (see `address()`). */
  port: number;
  handler: (call: OutboundCall) => void | Promise<void>;
  commandTimeoutMs?: number;
  executeTimeoutMs?: number;
  /** From TCP accept to channel data received. */
  connectTimeoutMs?: number;
  /** Send `linger` so the hang-up events arrive before the socket closes (needs `full`). Default true. */
  linger?: boolean;
  onError?: (err: Error) => void;
}

export interface CallEnd {
  reason: 'hangup' | 'disconnect';
  hangupCause: string | undefined;
}

export interface PlayAndGetDigitsOptions {
  min: number;
  max: number;
  tries: number;
  /** Time to wait for the first digit after the prompt, ms. */
  timeoutMs: number;
  terminators?: string;
  file: string;
  invalidFile?: string;
  /** Channel variable that receives the digits. */
  variable?: string;
  /** Regular expression the input must match. */
  regexp?: string;
  /** Inter-digit time-out, ms. */
  digitTimeoutMs?: number;
}

export interface DigitsResult {
  digits: string;
  /** `variable_read_result`: success | timeout | failure. */
  result: string | undefined;
  event: ChannelExecuteCompleteEvent;
}

export class OutboundCall {
  readonly uuid: string;
  readonly channel: ChannelData;
  /** Settles once the caller hangs up or the socket closes. Never rejects. */
  readonly ended: Promise<CallEnd>;
  private endedValue: CallEnd | undefined;
  private resolveEnded!: (e: CallEnd) => void;
  private readonly pending: PendingSet;
  private readonly executions = new Map<
    string,
    { resolve: (e: ChannelExecuteCompleteEvent) => void; reject: (e: Error) => void }
  >();
  private readonly listeners = new Listeners<[EslEvent]>();
  private closed = false;
  /** Every event of this call so far (capped), so a handler that subscribes late misses nothing. */
  readonly history: EslEvent[] = [];

  constructor(
    private readonly conn: ModeslConnection,
    channel: ChannelData,
    private readonly o: { commandTimeoutMs: number; executeTimeoutMs: number },
  ) {
    this.channel = channel;
    this.uuid = channel.uniqueId;
    this.pending = new PendingSet(`call ${this.uuid}`);
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
  }

  get hasEnded(): boolean {
    return this.endedValue !== undefined;
  }

  onEvent(fn: (e: EslEvent) => void): () => void {
    return this.listeners.add(fn);
  }

  /** Runs an app and waits for its own CHANNEL_EXECUTE_COMPLETE (matched by Application-UUID). */
  async execute(
    app: string,
    arg?: string,
    options: ExecuteOptions = {},
  ): Promise<ChannelExecuteCompleteEvent> {
    this.assertOpen(`execute ${app}`);
    const eventUuid = randomUUID();
    try {
      return await this.pending.track<ChannelExecuteCompleteEvent>(
        `execute ${app}`,
        options.timeoutMs ?? this.o.executeTimeoutMs,
        (resolve, reject) => {
          this.executions.set(eventUuid, { resolve, reject });
          this.command(`sendmsg ${this.uuid}`, buildSendmsg(app, arg, eventUuid, options)).catch(reject);
        },
      );
    } finally {
      this.executions.delete(eventUuid);
    }
  }

  answer(): Promise<ChannelExecuteCompleteEvent> {
    return this.execute('answer');
  }

  playback(file: string): Promise<ChannelExecuteCompleteEvent> {
    return this.execute('playback', file, { eventLock: true });
  }

  /** play_and_get_digits; the digits come from the result variable on EXECUTE_COMPLETE (not Application-Response). */
  async playAndGetDigits(p: PlayAndGetDigitsOptions): Promise<DigitsResult> {
    const variable = p.variable ?? 'pagd_digits';
    const arg = [
      p.min,
      p.max,
      p.tries,
      p.timeoutMs,
      p.terminators ?? '#',
      p.file,
      p.invalidFile ?? 'silence_stream://250',
      variable,
      p.regexp ?? '\\d+',
      p.digitTimeoutMs ?? 3000,
    ].join(' ');
    const event = await this.execute('play_and_get_digits', arg, { async: true });
    return { digits: event.variables[variable] ?? '', result: event.variables['read_result'], event };
  }

  async hangup(cause = 'NORMAL_CLEARING'): Promise<void> {
    this.assertOpen('hangup');
    await this.command(`sendmsg ${this.uuid}`, { 'call-command': 'hangup', 'hangup-cause': cause });
  }

  /** Current value of a channel variable, or undefined when unset (`uuid_getvar` prints `_undef_`). */
  async getVariable(name: string): Promise<string | undefined> {
    this.assertOpen('getVariable');
    const body = await this.pending.track<string>(
      `uuid_getvar ${name}`,
      this.o.commandTimeoutMs,
      (resolve) => {
        this.conn.api(`uuid_getvar ${this.uuid} ${name}`, (evt) => resolve(evt.getBody()));
      },
    );
    if (body === '_undef_' || body.startsWith('-ERR')) return undefined;
    return body;
  }

  /** Closes the socket (after linger the channel is already gone; before, FreeSWITCH continues the dialplan). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const s = this.conn.socket;
    if (s && !s.destroyed) {
      s.end('exit\n\n');
      setTimeout(() => s.destroy(), 1000).unref();
    }
  }

  /** @internal */
  handleEvent(e: EslEvent): void {
    if (e.eventName === 'CHANNEL_EXECUTE_COMPLETE' && e.applicationUuid)
      this.executions.get(e.applicationUuid)?.resolve(e);
    if (e.eventName === 'CHANNEL_HANGUP' && e.uniqueId === this.uuid)
      this.finish({ reason: 'hangup', hangupCause: e.hangupCause });
    if (e.eventName === 'CHANNEL_HANGUP_COMPLETE' && e.uniqueId === this.uuid) {
      // Apps interrupted by the hang-up report their EXECUTE_COMPLETE before this; whatever is still
      // waiting now will never complete.
      for (const x of this.executions.values()) x.reject(new EslHangupError('execute', this.uuid));
    }
    if (this.history.length < 1000) this.history.push(e);
    this.listeners.emit(e);
  }

  /** @internal */
  handleClose(): void {
    this.closed = true;
    this.finish({ reason: 'disconnect', hangupCause: undefined });
    this.pending.rejectAll(`call ${this.uuid}`);
  }

  private finish(e: CallEnd): void {
    if (this.endedValue) return;
    this.endedValue = e;
    this.resolveEnded(e);
  }

  private assertOpen(what: string): void {
    if (this.closed || !this.conn.socket) throw new EslNotConnectedError(what, this.uuid);
  }

  /** @internal */
  command(command: string, headers: Record<string, string> | null): Promise<string> {
    return this.pending.track(command, this.o.commandTimeoutMs, (resolve, reject) => {
      this.conn.sendRecv(command, headers, (evt) => {
        const reply = replyText(evt);
        if (reply.startsWith('-ERR')) reject(new EslCommandError(command, reply, this.uuid));
        else resolve(reply);
      });
    });
  }
}

export class EslOutboundServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly o: Required<Omit<OutboundServerOptions, 'onError' | 'host'>> & { host: string };
  private readonly errors = new Listeners<[Error]>();
  readonly stats = { accepted: 0, handled: 0, failedHandshakes: 0 };

  constructor(options: OutboundServerOptions) {
    this.o = {
      host: options.host ?? '127.0.0.1',
      port: options.port,
      handler: options.handler,
      commandTimeoutMs: options.commandTimeoutMs ?? 10_000,
      executeTimeoutMs: options.executeTimeoutMs ?? 600_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      linger: options.linger ?? true,
    };
    if (options.onError) this.errors.add(options.onError);
    this.server = createServer((socket) => this.accept(socket));
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port, this.o.host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.stats.accepted++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let call: OutboundCall | undefined;
    const backlog: EslEvent[] = [];
    const report = (err: unknown) => this.errors.emit(err instanceof Error ? err : new Error(String(err)));
    const conn = createOutboundConnection(socket, (event: ModeslEvent, headers: Record<string, unknown>) => {
      const ct = headers['Content-Type'];
      if (ct === 'text/disconnect-notice' && headers['Content-Disposition'] === 'linger') {
        // Hang-up events have been delivered; nothing more will come for this call.
        call?.close();
        return;
      }
      if (!isEventContentType(ct)) return;
      let typed: EslEvent;
      try {
        typed = toTypedEvent(toRawEvent(event));
      } catch (err) {
        report(err instanceof EslEventParseError ? err : new Error(String(err)));
        return;
      }
      if (call) call.handleEvent(typed);
      else backlog.push(typed);
    });
    conn.on('error', (err: Error) => report(err));
    const timer = setTimeout(() => {
      this.stats.failedHandshakes++;
      report(new Error('outbound socket: no channel data'));
      socket.destroy();
    }, this.o.connectTimeoutMs);
    socket.on('close', () => {
      clearTimeout(timer);
      this.sockets.delete(socket);
      call?.handleClose();
    });
    conn.once('esl::ready', () => {
      clearTimeout(timer);
      const info = conn.getInfo();
      if (!info) return;
      let channel: ChannelData;
      try {
        channel = parseChannelData(toRawEvent(info));
      } catch (err) {
        report(err);
        socket.destroy();
        return;
      }
      const c = new OutboundCall(conn, channel, this.o);
      call = c;
      this.start(c, backlog).catch((err: unknown) => {
        report(err);
        c.close();
      });
    });
  }

  private async start(call: OutboundCall, backlog: EslEvent[]): Promise<void> {
    // `myevents` works on full and non-full sockets alike (unlike modesl's `event json ...`).
    await call.command('myevents', null);
    if (this.o.linger) await call.command('linger', null).catch(() => undefined);
    for (const e of backlog.splice(0)) call.handleEvent(e);
    this.stats.handled++;
    await this.o.handler(call);
  }
}
