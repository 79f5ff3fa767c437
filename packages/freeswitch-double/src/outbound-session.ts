// The `socket host:port async full` dialplan app: the double connects to the controller, answers
// `connect` with the channel data and serves the controlling socket's commands.
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { CommandReader, type ClientCommand } from './command-reader.js';
import type { CallRuntime } from './engine.js';
import type { FsEvent } from './fs-event.js';
import type { EventFactory } from './fs-event.js';
import { apiResponse, commandReply, disconnectNotice, eventFrame, lingerNotice } from './frames.js';
import type { OutboundRouting } from './outbound-routing.js';
import type { SessionHost } from './session-host.js';
import { Subscriptions } from './subscriptions.js';
import { WireSocket } from './wire-socket.js';

/** What `myevents` subscribes an outbound socket to (mod_event_socket.c:2096-2118), besides LFLAG_MYEVENTS. */
const MYEVENTS = [
  'CHANNEL_ANSWER',
  'CHANNEL_APPLICATION',
  'CHANNEL_BRIDGE',
  'CHANNEL_CREATE',
  'CHANNEL_DATA',
  'CHANNEL_DESTROY',
  'CHANNEL_EXECUTE',
  'CHANNEL_EXECUTE_COMPLETE',
  'CHANNEL_HANGUP',
  'CHANNEL_HANGUP_COMPLETE',
  'CHANNEL_ORIGINATE',
  'CHANNEL_UUID',
  'CHANNEL_OUTGOING',
  'CHANNEL_PARK',
  'CHANNEL_UNPARK',
  'CHANNEL_PROGRESS',
  'CHANNEL_PROGRESS_MEDIA',
  'CHANNEL_STATE',
  'CHANNEL_UNBRIDGE',
  'DETECTED_SPEECH',
  'DTMF',
  'TALK',
  'NOTALK',
];

export interface SocketTarget {
  host: string;
  port: number;
  /** `async` keyword (default true). */
  async?: boolean;
  /** `full` keyword (default true). */
  full?: boolean;
}

export class OutboundSession {
  readonly wire: WireSocket;
  readonly subs = new Subscriptions();
  private readonly reader = new CommandReader();
  private connected = false;
  private myevents = false;
  private linger: number | undefined;
  private detached = false;
  private closedByUs = false;
  readonly commands: string[] = [];
  readonly ready: Promise<void>;
  /** Static (non-async) mode: events raised while an app runs in the socket thread wait for its reply. */
  private held: FsEvent[] | undefined;

  constructor(
    private readonly host: SessionHost,
    private readonly rt: CallRuntime,
    private readonly factory: EventFactory,
    readonly target: SocketTarget,
    private readonly routing: OutboundRouting,
  ) {
    const socket: Socket = connect({ host: target.host, port: target.port });
    this.wire = new WireSocket(socket, host.faults);
    this.ready = new Promise((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    socket.on('data', (chunk: Buffer) => {
      for (const cmd of this.reader.push(chunk)) this.handle(cmd);
    });
    routing.add(this);
    socket.on('close', () => {
      routing.remove(this);
      if (!this.closedByUs) this.rt.socketClosed();
    });
    socket.on('error', () => undefined);
    rt.listener = {
      onChannelEvent: (ev) => this.afterChannelEvent(ev),
      onSocketDone: () => this.socketDone(),
    };
  }

  private get full(): boolean {
    return this.target.full ?? true;
  }

  get uuid(): string {
    return this.rt.uuid;
  }

  destroy(): void {
    this.wire.destroy();
  }

  /**
   * mod_event_socket.c event_handler's decision for this listener: subscribed (by `event` or `myevents`) and
   * passing its filters; with `myevents`, also this channel's own event (Unique-ID) or its own bgapi's
   * BACKGROUND_JOB (Job-Owner-UUID). Without `myevents` a subscriber gets every channel's events, as in FreeSWITCH.
   */
  deliver(ev: FsEvent): void {
    if (!this.connected || this.detached || this.wire.closed) return;
    if (!this.subs.wants(ev)) return;
    if (this.myevents && ev.get('Unique-ID') !== this.rt.uuid && ev.get('Job-Owner-UUID') !== this.rt.uuid)
      return;
    if (this.held) {
      this.held.push(ev);
      return;
    }
    void this.wire.write(eventFrame(ev, this.subs.format === 'json' ? 'json' : 'plain'), 'event');
  }

  private afterChannelEvent(ev: FsEvent): void {
    if (ev.name !== 'CHANNEL_HANGUP_COMPLETE' || this.linger === undefined || this.detached) return;
    // With linger, the hang-up events are delivered, then the linger notice; the socket stays open.
    this.detached = true;
    void this.wire.write(
      lingerNotice(this.rt.uuid, this.rt.ch.profile.channelName, this.linger < 0 ? -1 : this.linger),
    );
    if (this.linger > 0) {
      setTimeout(() => this.disconnect(), this.linger * 1000).unref();
    }
  }

  private socketDone(): void {
    if (this.linger !== undefined || this.detached) return;
    // Without linger FreeSWITCH drops whatever is still queued and closes at once.
    this.detached = true;
    this.disconnect();
  }

  private disconnect(): void {
    if (this.wire.closed) return;
    this.closedByUs = true;
    void this.wire.write(
      disconnectNotice([
        ['Controlled-Session-UUID', this.rt.uuid],
        ['Content-Disposition', 'disconnect'],
      ]),
    );
    void this.wire.end();
  }

  private reply(text: string, extra: ReadonlyArray<readonly [string, string]> = []): void {
    if (!this.connected) return; // the reply to a command sent before `connect` is never sent
    void this.wire.write(commandReply(text, extra), 'reply');
  }

  private handle(c: ClientCommand): void {
    const line = c.command;
    this.commands.push(line);
    if (this.host.faults.ignoreCommands) return;
    const sp = line.indexOf(' ');
    const word = sp === -1 ? line : line.slice(0, sp);
    const rest = sp === -1 ? '' : line.slice(sp + 1).trim();
    if (word === 'connect' && !this.connected) {
      this.connected = true;
      void this.wire.write(
        [this.rt.ch.channelData(this.factory, this.target.async === false ? 'static' : 'async', this.full)],
        'reply',
      );
      return;
    }
    if (word.startsWith('exit') || word.startsWith('...')) {
      this.reply('+OK bye');
      this.closedByUs = true;
      void this.wire.write(
        disconnectNotice([
          ['Controlled-Session-UUID', this.rt.uuid],
          ['Content-Disposition', 'disconnect'],
        ]),
      );
      void this.wire.end();
      setImmediate(() => this.rt.socketClosed());
      return;
    }
    const fullOnly = [
      'event',
      'nixevent',
      'noevents',
      'linger',
      'nolinger',
      'api',
      'bgapi',
      'sendevent',
      'log',
    ];
    if (!this.full && fullOnly.includes(word)) return this.reply('-ERR command not found');
    switch (word) {
      case 'myevents':
        if (this.myevents) return this.reply('-ERR aready enabled.');
        this.myevents = true;
        this.subs.subscribe(MYEVENTS);
        this.routing.ownEventsOnly(this);
        if (rest === 'json' || rest === 'plain' || rest === 'xml') this.subs.format = rest;
        return this.reply('+OK Events Enabled');
      case 'event':
        return this.reply(this.subs.event(rest.split(/\s+/).filter(Boolean)));
      case 'nixevent':
        return this.reply(this.subs.nix(rest.split(/\s+/).filter(Boolean)));
      case 'noevents':
        return this.reply(this.subs.clear());
      case 'filter':
        return this.reply(this.subs.filter(rest));
      case 'linger': {
        const secs = rest ? Number(rest) : undefined;
        this.linger = secs === undefined || !Number.isFinite(secs) ? -1 : secs;
        return this.reply(secs === undefined ? '+OK will linger' : `+OK will linger ${secs} seconds`);
      }
      case 'nolinger':
        this.linger = undefined;
        return this.reply('+OK will not linger');
      case 'resume':
        return this.reply('+OK');
      case 'getvar': {
        const v = this.rt.ch.vars.get(rest);
        return this.reply(v ?? '-ERR command not found');
      }
      case 'api': {
        if (!rest) return this.reply('-ERR command not found');
        const result = this.host.runApi(rest);
        void this.wire.write(apiResponse(result.body), 'reply');
        this.host.apiEvent(rest);
        result.after?.();
        return;
      }
      case 'bgapi': {
        if (!rest) return this.reply('-ERR command not found');
        const job = c.headers.get('job-uuid') ?? randomUUID();
        this.reply(`+OK Job-UUID: ${job}`, [['Job-UUID', job]]);
        this.host.runBgapi(rest, job, this.rt.uuid);
        return;
      }
      case 'sendmsg': {
        const uuid = rest || this.rt.uuid;
        const sync =
          this.target.async === false &&
          c.headers.get('async') !== 'true' &&
          c.headers.get('call-command') === 'execute';
        if (!sync || uuid !== this.rt.uuid) return this.reply(this.host.sendmsg(uuid, c.headers, c.body));
        // Static mode: the app runs in the socket thread, so +OK comes only after it has finished and
        // the events it raised follow that reply (mod_event_socket.c:2197-2226).
        this.held = [];
        this.rt.enqueue({
          app: c.headers.get('execute-app-name') ?? '',
          data:
            c.headers.get('execute-app-arg') ??
            (c.headers.get('content-type') === 'text/plain' ? (c.body ?? '') : ''),
          appUuid: c.headers.get('event-uuid') ?? randomUUID(),
          viaSendmsg: true,
        });
        void this.rt.afterQueue(() => {
          const held = this.held ?? [];
          this.held = undefined;
          this.reply('+OK');
          for (const ev of held) this.deliver(ev);
        });
        return;
      }
      default:
        return this.reply('-ERR command not found');
    }
  }
}
