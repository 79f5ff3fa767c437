// The commands, subscriptions and events of one FreeSWITCH node, over the connection NodeLink keeps alive.
import { randomUUID } from 'node:crypto';
import { EslCommandError, EslNotConnectedError } from './errors.js';
import { EventDispatch } from './event-dispatch.js';
import type { ChannelExecuteCompleteEvent, EslEvent, RawEslEvent } from './events.js';
import { Listeners, type EventInterest } from './listeners.js';
import type { ModeslConnection } from './modesl.js';
import { NodeLink } from './node-link.js';
import {
  eventCommand,
  REQUIRED_EVENTS,
  resolveNodeOptions,
  type BgapiResult,
  type EslNodeOptions,
  type EslNodeState,
  type EslNodeStats,
  type ResolvedNodeOptions,
} from './node-options.js';
import { PendingSet } from './pending.js';
import { assertSingleLine, buildSendmsg, replyText, type ExecuteOptions } from './sendmsg.js';

export class EslNode {
  readonly name: string;
  private readonly o: ResolvedNodeOptions;
  private readonly link: NodeLink;
  private consecutiveTimeouts = 0;
  private readonly pending: PendingSet;
  private readonly events = new Set<string>(REQUIRED_EVENTS);
  private readonly subclasses = new Set<string>();
  private readonly filters = new Map<string, [string, string]>();
  private readonly errorListeners = new Listeners<[Error]>();
  private readonly dispatch = new EventDispatch((err) => this.errorListeners.emit(err));
  private commandTimeouts = 0;

  constructor(options: EslNodeOptions) {
    this.name = options.name;
    this.o = resolveNodeOptions(options);
    for (const e of options.events ?? []) this.events.add(e.toUpperCase());
    for (const s of options.subclasses ?? []) this.subclasses.add(s);
    this.pending = new PendingSet(this.name);
    this.pending.onTimeout = () => this.noteTimeout();
    this.link = new NodeLink(this.o, {
      subscribe: (conn) => this.resubscribe(conn),
      onFrame: (event, headers) => this.dispatch.frame(event, headers),
      onDown: () => this.pending.rejectAll(`${this.name}`),
      onError: (err) => this.errorListeners.emit(err),
    });
  }

  get state(): EslNodeState {
    return this.link.state;
  }

  stats(): EslNodeStats {
    const link = this.link.counters;
    return {
      state: this.link.state,
      connectAttempts: link.connectAttempts,
      connects: link.connects,
      disconnects: link.disconnects,
      authFailures: link.authFailures,
      commandTimeouts: this.commandTimeouts,
      parseErrors: this.dispatch.parseErrors,
      eventsReceived: { ...this.dispatch.received },
    };
  }

  /** Listener counts on the live modesl connection, for leak checks. */
  listenerCounts(): { connection: number; socket: number; eventListeners: number; pending: number } {
    const c = this.link.connection;
    const s = c?.socket;
    const connCount = c
      ? ['error', 'esl::event::auth::success', 'esl::event::auth::fail', 'esl::end'].reduce(
          (n, e) => n + c.listeners(e).length,
          0,
        )
      : 0;
    const sockCount = s ? ['data', 'close', 'end', 'error'].reduce((n, e) => n + s.listenerCount(e), 0) : 0;
    return {
      connection: connCount,
      socket: sockCount,
      eventListeners: this.dispatch.typed.size + this.dispatch.raw.size,
      pending: this.pending.size,
    };
  }

  /** `wants`: the Event-Names this listener needs (all when absent); events nobody wants are only counted. */
  onEvent(fn: (e: EslEvent) => void, wants?: EventInterest): () => void {
    return this.dispatch.typed.add(fn, wants);
  }

  /**
   * Events as their name, subclass and lazily decoded header block, never validated into typed fields:
   * for consumers that read FreeSWITCH's own header names (the controller's ingestion), which would
   * otherwise pay for ~25 header reads per event they never look at.
   */
  onRawEvent(fn: (e: RawEslEvent) => void, wants?: EventInterest): () => void {
    return this.dispatch.raw.add(fn, wants);
  }

  onState(fn: (s: EslNodeState) => void): () => void {
    return this.link.onState(fn);
  }

  /** Non-fatal problems: socket errors, events that fail validation. */
  onError(fn: (e: Error) => void): () => void {
    return this.errorListeners.add(fn);
  }

  start(): void {
    this.link.start();
  }

  /** Resolves once authenticated and subscribed. */
  waitReady(timeoutMs = 10_000): Promise<void> {
    return this.link.waitReady(timeoutMs);
  }

  close(): void {
    this.link.close();
  }

  // ---- commands ----

  async api(command: string): Promise<string> {
    assertSingleLine('api', command);
    const conn = this.requireReady(`api ${command}`);
    return this.pending.track(`api ${command}`, this.o.commandTimeoutMs, (resolve) => {
      conn.api(command, (evt) => {
        this.consecutiveTimeouts = 0;
        resolve(evt.getBody());
      });
    });
  }

  async bgapi(command: string, timeoutMs = this.o.bgapiTimeoutMs): Promise<BgapiResult> {
    assertSingleLine('bgapi', command);
    const conn = this.requireReady(`bgapi ${command}`);
    const jobUuid = randomUUID();
    try {
      return await this.pending.track<BgapiResult>(`bgapi ${command}`, timeoutMs, (resolve, reject) => {
        this.dispatch.jobs.set(jobUuid, (event) =>
          resolve({ jobUuid, body: event.body, ok: !event.body.startsWith('-ERR'), event }),
        );
        conn.sendRecv(`bgapi ${command}`, { 'Job-UUID': jobUuid }, (evt) => {
          this.consecutiveTimeouts = 0;
          const reply = replyText(evt);
          if (!reply.startsWith('+OK')) reject(new EslCommandError(`bgapi ${command}`, reply, this.name));
        });
      });
    } finally {
      this.dispatch.jobs.delete(jobUuid);
    }
  }

  /** Sends a raw command (e.g. `filter ...`) and returns its Reply-Text; -ERR rejects. */
  async command(command: string, headers: Record<string, string> | null = null): Promise<string> {
    const conn = this.requireReady(command);
    return this.sendCommand(conn, command, headers);
  }

  /** sendmsg to a channel; resolves with the reply text (+OK), rejects on -ERR. */
  async sendmsg(uuid: string, headers: Record<string, string>): Promise<string> {
    return this.command(`sendmsg ${uuid}`, headers);
  }

  /** Runs a dialplan app on a (parked) channel and waits for its own CHANNEL_EXECUTE_COMPLETE. */
  async execute(
    uuid: string,
    app: string,
    arg?: string,
    options: ExecuteOptions = {},
  ): Promise<ChannelExecuteCompleteEvent> {
    const conn = this.requireReady(`execute ${app}`);
    const eventUuid = randomUUID();
    try {
      return await this.pending.track<ChannelExecuteCompleteEvent>(
        `execute ${app}`,
        options.timeoutMs ?? this.o.executeTimeoutMs,
        (resolve, reject) => {
          this.dispatch.executions.set(eventUuid, resolve);
          this.sendCommand(conn, `sendmsg ${uuid}`, buildSendmsg(app, arg, eventUuid, options)).catch(reject);
        },
      );
    } finally {
      this.dispatch.executions.delete(eventUuid);
    }
  }

  async hangup(uuid: string, cause = 'NORMAL_CLEARING'): Promise<void> {
    await this.sendmsg(uuid, { 'call-command': 'hangup', 'hangup-cause': cause });
  }

  /** Adds event names / CUSTOM subclasses; remembered and re-sent after every reconnect. */
  async subscribe(events: readonly string[], subclasses: readonly string[] = []): Promise<void> {
    const newEvents = events.map((e) => e.toUpperCase()).filter((e) => !this.events.has(e));
    const newSub = subclasses.filter((s) => !this.subclasses.has(s));
    newEvents.forEach((e) => this.events.add(e));
    newSub.forEach((s) => this.subclasses.add(s));
    if (this.link.state !== 'ready' || (newEvents.length === 0 && newSub.length === 0)) return;
    await this.command(eventCommand(newEvents, newSub));
  }

  /**
   * Adds a filter (remembered across reconnects). Once any filter exists FreeSWITCH drops every event no
   * positive filter matches, so BACKGROUND_JOB (bgapi), CHANNEL_EXECUTE_COMPLETE (execute) and HEARTBEAT
   * (liveness) get their own filters first.
   */
  async addFilter(header: string, value: string): Promise<void> {
    const toAdd: Array<[string, string]> = [];
    if (this.filters.size === 0) for (const e of REQUIRED_EVENTS) toAdd.push(['Event-Name', e]);
    toAdd.push([header, value]);
    for (const f of toAdd) this.filters.set(`${f[0]}\u0000${f[1]}`, f);
    if (this.link.state !== 'ready') return;
    for (const [h, v] of toAdd) await this.command(`filter ${h} ${v}`);
  }

  async deleteFilter(header: string, value: string): Promise<void> {
    this.filters.delete(`${header}\u0000${value}`);
    if (this.link.state === 'ready') await this.command(`filter delete ${header} ${value}`);
  }

  // ---- connection ----

  private requireReady(what: string): ModeslConnection {
    const conn = this.link.connection;
    if (this.link.state !== 'ready' || !conn) throw new EslNotConnectedError(what, this.name);
    return conn;
  }

  private sendCommand(
    conn: ModeslConnection,
    command: string,
    headers: Record<string, string> | null,
  ): Promise<string> {
    try {
      assertSingleLine(command, command, ...Object.entries(headers ?? {}).flat());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return this.pending.track(
      command.split('\n')[0] ?? command,
      this.o.commandTimeoutMs,
      (resolve, reject) => {
        conn.sendRecv(command, headers, (evt) => {
          this.consecutiveTimeouts = 0;
          const reply = replyText(evt);
          if (reply.startsWith('-ERR')) reject(new EslCommandError(command, reply, this.name));
          else resolve(reply);
        });
      },
    );
  }

  private noteTimeout(): void {
    this.commandTimeouts++;
    this.consecutiveTimeouts++;
    if (
      this.o.maxConsecutiveTimeouts > 0 &&
      this.consecutiveTimeouts >= this.o.maxConsecutiveTimeouts &&
      this.link.state === 'ready'
    ) {
      this.errorListeners.emit(
        new Error(`${this.name}: ${this.consecutiveTimeouts} command time-outs in a row, reconnecting`),
      );
      queueMicrotask(() => this.link.drop());
    }
  }

  /** Every (re)connect: one event command from the remembered sets, then each filter. */
  private async resubscribe(conn: ModeslConnection): Promise<void> {
    this.consecutiveTimeouts = 0;
    await this.sendCommand(conn, eventCommand([...this.events], [...this.subclasses]), null);
    for (const [h, v] of this.filters.values()) await this.sendCommand(conn, `filter ${h} ${v}`, null);
  }
}
