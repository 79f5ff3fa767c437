// Outbound mode: FreeSWITCH's `socket host:port async full` dialplan app connects here, and each
// connection becomes a typed OutboundCall handed to the handler.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import {
  EslEventParseError,
  parseChannelData,
  toTypedEvent,
  type ChannelData,
  type EslEvent,
} from './events.js';
import { Listeners } from './listeners.js';
import { createOutboundConnection, type ModeslEvent } from './modesl.js';
import { OutboundCall } from './outbound-call.js';
import { isEventContentType, toRawEvent } from './raw.js';

/** What OutboundCall itself settles executions and hang-ups by (outbound-call.ts, handleEvent). */
const ADAPTER_EVENTS = ['CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE'];

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
  /**
   * The channel events the handler needs (through `OutboundCall.onEvent`) besides the three the adapter itself
   * waits for (CHANNEL_EXECUTE_COMPLETE, CHANNEL_HANGUP, CHANNEL_HANGUP_COMPLETE). Given, the socket gets a
   * positive `filter Event-Name` per event after `myevents`, so FreeSWITCH drops every other event of the channel
   * (CHANNEL_EXECUTE, CHANNEL_STATE, PARK, DTMF… each a few KB with every channel variable) before it is written.
   * Default: every `myevents` event.
   */
  channelEvents?: readonly string[];
  onError?: (err: Error) => void;
}

export class EslOutboundServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly o: Required<Omit<OutboundServerOptions, 'onError' | 'host' | 'channelEvents'>> & {
    host: string;
    channelEvents: readonly string[] | undefined;
  };
  private readonly errors = new Listeners<[Error]>();
  private readonly calls = new Set<OutboundCall>();
  private readonly emptied = new Listeners<[]>();
  private readonly drainController = new AbortController();
  readonly stats = { accepted: 0, handled: 0, failedHandshakes: 0 };
  /** Aborted when `drain()` starts: handlers should stop re-prompting and let their call move on. */
  readonly draining: AbortSignal = this.drainController.signal;

  constructor(options: OutboundServerOptions) {
    this.o = {
      host: options.host ?? '127.0.0.1',
      port: options.port,
      handler: options.handler,
      commandTimeoutMs: options.commandTimeoutMs ?? 10_000,
      executeTimeoutMs: options.executeTimeoutMs ?? 600_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      linger: options.linger ?? true,
      channelEvents: options.channelEvents,
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

  /** Connections open now: calls being controlled and handshakes in progress. */
  get openSockets(): number {
    return this.sockets.size;
  }

  /** Calls whose handshake completed and whose socket is still open. */
  get activeCalls(): number {
    return this.calls.size;
  }

  /**
   * Graceful stop. No new connections are accepted (FreeSWITCH's `socket` app then fails over to the next
   * address of its `host|host2` list, if any), `draining` fires, and the calls in progress go on until their
   * handlers finish and FreeSWITCH closes the socket, for at most `timeoutMs`. Calls still open then are closed
   * (`exit`): FreeSWITCH moves on to the dialplan's next action. Returns how many had to be closed.
   */
  async drain(timeoutMs: number): Promise<{ closed: number }> {
    this.drainController.abort();
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.sockets.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      let off: (() => void) | undefined;
      await new Promise<void>((resolve) => {
        off = this.emptied.add(resolve);
        timer = setTimeout(resolve, timeoutMs);
      });
      clearTimeout(timer);
      off?.();
    }
    const closed = this.sockets.size;
    for (const c of this.calls) c.close();
    // A socket whose peer does not answer `exit` is cut.
    for (const s of this.sockets) s.destroy();
    await stopped;
    return { closed };
  }

  /** Immediate stop: every socket is cut. */
  async close(): Promise<void> {
    this.drainController.abort();
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
      if (call) {
        this.calls.delete(call);
        call.handleClose();
      }
      if (this.sockets.size === 0) this.emptied.emit();
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
      this.calls.add(c);
      this.start(c, backlog).catch((err: unknown) => {
        report(err);
        c.close();
      });
    });
  }

  private async start(call: OutboundCall, backlog: EslEvent[]): Promise<void> {
    // `myevents` works on full and non-full sockets alike (unlike modesl's `event json ...`). The set-up commands go
    // out in one write (corked; FreeSWITCH answers them in order): one syscall and one segment per call instead of
    // one per command, which with a thousand callers arriving at once is most of the set-up's cost.
    const names = this.o.channelEvents ? [...new Set([...ADAPTER_EVENTS, ...this.o.channelEvents])] : [];
    const socket = call.socket;
    socket?.cork();
    const subscribed = call.command('myevents', null);
    // A socket that refuses `filter` keeps every event: nothing is lost, only the saving.
    const filtered = names.map((name) =>
      call.command(`filter Event-Name ${name}`, null).catch(() => undefined),
    );
    const lingered = this.o.linger ? call.command('linger', null).catch(() => undefined) : undefined;
    if (socket) process.nextTick(() => socket.uncork());
    await subscribed;
    await Promise.all([...filtered, lingered]);
    for (const e of backlog.splice(0)) call.handleEvent(e);
    this.stats.handled++;
    await this.o.handler(call);
  }
}
