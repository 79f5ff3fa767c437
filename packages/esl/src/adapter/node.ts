// One inbound event-socket connection to one FreeSWITCH node, kept alive across refusals, drops,
// failed auth and dead peers. Each (re)connect builds a fresh modesl connection and tears the old one
// down completely, so listeners and subscriptions never pile up.
import { randomUUID } from 'node:crypto';
import { backoffDelay, defaultBackoff, type BackoffOptions } from './backoff.js';
import { EslCommandError, EslNotConnectedError, EslTimeoutError } from './errors.js';
import {
  EslEventParseError,
  toTypedEvent,
  type BackgroundJobEvent,
  type ChannelExecuteCompleteEvent,
  type EslEvent,
  type RawEslEvent,
} from './events.js';
import { EventListeners, Listeners, type EventInterest } from './listeners.js';
import { createInboundConnection, type ModeslConnection, type ModeslEvent } from './modesl.js';
import { PendingSet } from './pending.js';
import { isEventContentType, toRawEvent } from './raw.js';
import { assertSingleLine, buildSendmsg, replyText, type ExecuteOptions } from './sendmsg.js';

export interface EslNodeOptions {
  /** Name used in metrics and errors, e.g. "fs-01". */
  name: string;
  host: string;
  port: number;
  password: string;
  /** Reply time-out for api and plain commands. */
  commandTimeoutMs?: number;
  /** Time-out for a bgapi job's BACKGROUND_JOB. */
  bgapiTimeoutMs?: number;
  /** Time-out for execute() to see CHANNEL_EXECUTE_COMPLETE. */
  executeTimeoutMs?: number;
  /** From TCP connect to `+OK accepted` and subscriptions sent. */
  connectTimeoutMs?: number;
  /** Reconnect if nothing at all arrives for this long (FreeSWITCH sends HEARTBEAT every 20 s). Default 65 s; 0 = off. */
  livenessTimeoutMs?: number;
  /** Treat the node as dead and reconnect after this many command time-outs in a row. 0 = never. */
  maxConsecutiveTimeouts?: number;
  backoff?: BackoffOptions;
  /** Event names to subscribe to, beyond the ones the adapter needs itself. */
  events?: readonly string[];
  /** CUSTOM subclasses to subscribe to (e.g. sofia::register). */
  subclasses?: readonly string[];
}

export type EslNodeState = 'idle' | 'connecting' | 'ready' | 'disconnected' | 'closed';

export interface EslNodeStats {
  state: EslNodeState;
  connectAttempts: number;
  connects: number;
  disconnects: number;
  authFailures: number;
  commandTimeouts: number;
  parseErrors: number;
  eventsReceived: Record<string, number>;
}

export interface BgapiResult {
  jobUuid: string;
  /** The command output, exactly as FreeSWITCH printed it. */
  body: string;
  /** False when the output starts with -ERR (FreeSWITCH still sends a BACKGROUND_JOB for failures). */
  ok: boolean;
  event: BackgroundJobEvent;
}

/** Events the adapter always subscribes to: bgapi and execute depend on them. */
const REQUIRED_EVENTS = ['BACKGROUND_JOB', 'CHANNEL_EXECUTE_COMPLETE', 'HEARTBEAT'];

export class EslNode {
  readonly name: string;
  private readonly o: Required<Omit<EslNodeOptions, 'events' | 'subclasses'>>;
  private conn: ModeslConnection | undefined;
  private generation = 0;
  private attempt = 0;
  private stateValue: EslNodeState = 'idle';
  private reconnectTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private livenessTimer: NodeJS.Timeout | undefined;
  private lastActivity = 0;
  private consecutiveTimeouts = 0;
  private readonly pending: PendingSet;
  private readonly jobs = new Map<string, (e: BackgroundJobEvent) => void>();
  private readonly executions = new Map<string, (e: ChannelExecuteCompleteEvent) => void>();
  private readonly events = new Set<string>(REQUIRED_EVENTS);
  private readonly subclasses = new Set<string>();
  private readonly filters = new Map<string, [string, string]>();
  private readonly eventListeners = new EventListeners<EslEvent>();
  private readonly rawListeners = new EventListeners<RawEslEvent>();
  private readonly stateListeners = new Listeners<[EslNodeState]>();
  private readonly errorListeners = new Listeners<[Error]>();
  private readyWaiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private readonly counters = {
    connectAttempts: 0,
    connects: 0,
    disconnects: 0,
    authFailures: 0,
    commandTimeouts: 0,
    parseErrors: 0,
  };
  private readonly eventsReceived: Record<string, number> = {};

  constructor(options: EslNodeOptions) {
    this.name = options.name;
    this.o = {
      name: options.name,
      host: options.host,
      port: options.port,
      password: options.password,
      commandTimeoutMs: options.commandTimeoutMs ?? 10_000,
      bgapiTimeoutMs: options.bgapiTimeoutMs ?? 60_000,
      executeTimeoutMs: options.executeTimeoutMs ?? 600_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      livenessTimeoutMs: options.livenessTimeoutMs ?? 65_000,
      maxConsecutiveTimeouts: options.maxConsecutiveTimeouts ?? 3,
      backoff: options.backoff ?? defaultBackoff,
    };
    for (const e of options.events ?? []) this.events.add(e.toUpperCase());
    for (const s of options.subclasses ?? []) this.subclasses.add(s);
    this.pending = new PendingSet(this.name);
    this.pending.onTimeout = () => this.noteTimeout();
  }

  get state(): EslNodeState {
    return this.stateValue;
  }

  stats(): EslNodeStats {
    return { state: this.stateValue, ...this.counters, eventsReceived: { ...this.eventsReceived } };
  }

  /** Listener counts on the live modesl connection, for leak checks. */
  listenerCounts(): { connection: number; socket: number; eventListeners: number; pending: number } {
    const c = this.conn;
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
      eventListeners: this.eventListeners.size + this.rawListeners.size,
      pending: this.pending.size,
    };
  }

  /** `wants`: the Event-Names this listener needs (all when absent); events nobody wants are only counted. */
  onEvent(fn: (e: EslEvent) => void, wants?: EventInterest): () => void {
    return this.eventListeners.add(fn, wants);
  }

  /**
   * Events as their name, subclass and lazily decoded header block, never validated into typed fields:
   * for consumers that read FreeSWITCH's own header names (the controller's ingestion), which would
   * otherwise pay for ~25 header reads per event they never look at.
   */
  onRawEvent(fn: (e: RawEslEvent) => void, wants?: EventInterest): () => void {
    return this.rawListeners.add(fn, wants);
  }

  onState(fn: (s: EslNodeState) => void): () => void {
    return this.stateListeners.add(fn);
  }

  /** Non-fatal problems: socket errors, events that fail validation. */
  onError(fn: (e: Error) => void): () => void {
    return this.errorListeners.add(fn);
  }

  start(): void {
    if (this.stateValue !== 'idle') return;
    this.connect();
  }

  /** Resolves once authenticated and subscribed. */
  waitReady(timeoutMs = 10_000): Promise<void> {
    if (this.stateValue === 'ready') return Promise.resolve();
    // Not in `pending`: a dropped attempt must not reject it, only the time-out does.
    if (this.stateValue === 'closed')
      return Promise.reject(new EslNotConnectedError(`${this.name}: wait for ready`, this.name));
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== waiter);
        reject(new EslTimeoutError(`${this.name}: wait for ready`, timeoutMs, this.name));
      }, timeoutMs);
      this.readyWaiters.push(waiter);
    });
  }

  close(): void {
    if (this.stateValue === 'closed') return;
    clearTimeout(this.reconnectTimer);
    const conn = this.conn;
    this.teardown('closed');
    if (conn?.socket && !conn.socket.destroyed) conn.socket.destroy();
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
        this.jobs.set(jobUuid, (event) =>
          resolve({ jobUuid, body: event.body, ok: !event.body.startsWith('-ERR'), event }),
        );
        conn.sendRecv(`bgapi ${command}`, { 'Job-UUID': jobUuid }, (evt) => {
          this.consecutiveTimeouts = 0;
          const reply = replyText(evt);
          if (!reply.startsWith('+OK')) reject(new EslCommandError(`bgapi ${command}`, reply, this.name));
        });
      });
    } finally {
      this.jobs.delete(jobUuid);
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
          this.executions.set(eventUuid, resolve);
          this.sendCommand(conn, `sendmsg ${uuid}`, buildSendmsg(app, arg, eventUuid, options)).catch(reject);
        },
      );
    } finally {
      this.executions.delete(eventUuid);
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
    if (this.stateValue !== 'ready' || (newEvents.length === 0 && newSub.length === 0)) return;
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
    if (this.stateValue !== 'ready') return;
    for (const [h, v] of toAdd) await this.command(`filter ${h} ${v}`);
  }

  async deleteFilter(header: string, value: string): Promise<void> {
    this.filters.delete(`${header}\u0000${value}`);
    if (this.stateValue === 'ready') await this.command(`filter delete ${header} ${value}`);
  }

  // ---- connection lifecycle ----

  private setState(s: EslNodeState): void {
    if (this.stateValue === s) return;
    this.stateValue = s;
    this.stateListeners.emit(s);
  }

  private requireReady(what: string): ModeslConnection {
    if (this.stateValue !== 'ready' || !this.conn) throw new EslNotConnectedError(what, this.name);
    return this.conn;
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
    this.counters.commandTimeouts++;
    this.consecutiveTimeouts++;
    if (
      this.o.maxConsecutiveTimeouts > 0 &&
      this.consecutiveTimeouts >= this.o.maxConsecutiveTimeouts &&
      this.stateValue === 'ready'
    ) {
      this.errorListeners.emit(
        new Error(`${this.name}: ${this.consecutiveTimeouts} command time-outs in a row, reconnecting`),
      );
      queueMicrotask(() => this.teardown('disconnected'));
    }
  }

  private connect(): void {
    const gen = ++this.generation;
    this.counters.connectAttempts++;
    this.consecutiveTimeouts = 0;
    this.setState('connecting');
    const conn = createInboundConnection(this.o.host, this.o.port, this.o.password, (event, headers, body) =>
      this.onFrame(gen, event, headers, body),
    );
    this.conn = conn;
    this.lastActivity = Date.now();
    conn.on('error', (err: Error) => {
      if (gen !== this.generation) return;
      this.errorListeners.emit(err);
      this.teardown('disconnected');
    });
    conn.on('esl::event::auth::fail', () => {
      if (gen !== this.generation) return;
      this.counters.authFailures++;
      this.errorListeners.emit(new Error(`${this.name}: authentication failed`));
      this.teardown('disconnected');
    });
    conn.on('esl::event::auth::success', () => {
      if (gen !== this.generation) return;
      this.afterAuth(gen, conn).catch((err: unknown) => {
        if (gen !== this.generation) return;
        this.errorListeners.emit(err instanceof Error ? err : new Error(String(err)));
        this.teardown('disconnected');
      });
    });
    conn.socket?.on('close', () => {
      if (gen === this.generation) this.teardown('disconnected');
    });
    this.connectTimer = setTimeout(() => {
      if (gen !== this.generation || this.stateValue === 'ready') return;
      this.errorListeners.emit(
        new Error(`${this.name}: no ready connection within ${this.o.connectTimeoutMs} ms`),
      );
      this.teardown('disconnected');
    }, this.o.connectTimeoutMs);
  }

  private async afterAuth(gen: number, conn: ModeslConnection): Promise<void> {
    // Re-subscribe from the remembered sets: one event command, then each filter.
    await this.sendCommand(conn, eventCommand([...this.events], [...this.subclasses]), null);
    for (const [h, v] of this.filters.values()) await this.sendCommand(conn, `filter ${h} ${v}`, null);
    if (gen !== this.generation) return;
    clearTimeout(this.connectTimer);
    this.attempt = 0;
    this.counters.connects++;
    this.setState('ready');
    this.startLiveness(gen);
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    waiters.forEach((w) => w.resolve());
  }

  private startLiveness(gen: number): void {
    if (this.o.livenessTimeoutMs <= 0) return;
    const check = () => {
      if (gen !== this.generation || this.stateValue !== 'ready') return;
      if (Date.now() - this.lastActivity > this.o.livenessTimeoutMs) {
        this.errorListeners.emit(
          new Error(`${this.name}: nothing received for ${this.o.livenessTimeoutMs} ms`),
        );
        this.teardown('disconnected');
        return;
      }
      this.livenessTimer = setTimeout(check, Math.max(50, Math.floor(this.o.livenessTimeoutMs / 4)));
    };
    this.livenessTimer = setTimeout(check, Math.max(50, Math.floor(this.o.livenessTimeoutMs / 4)));
  }

  private teardown(next: 'disconnected' | 'closed'): void {
    const wasReady = this.stateValue === 'ready';
    const conn = this.conn;
    this.conn = undefined;
    this.generation++;
    clearTimeout(this.connectTimer);
    clearTimeout(this.livenessTimer);
    if (conn) {
      conn.removeAllListeners();
      // modesl re-emits socket errors on the connection; EventEmitter2 throws on an unheard 'error'.
      conn.on('error', () => undefined);
      conn.frameHook = undefined;
      if (conn.socket && !conn.socket.destroyed) conn.socket.destroy();
    }
    if (wasReady) this.counters.disconnects++;
    this.pending.rejectAll(`${this.name}`);
    if (this.stateValue === 'closed') return;
    if (next === 'closed') {
      this.setState('closed');
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      waiters.forEach((w) => w.reject(new EslNotConnectedError(`${this.name}: closed`, this.name)));
      return;
    }
    this.setState('disconnected');
    clearTimeout(this.reconnectTimer);
    const delay = backoffDelay(this.attempt++, this.o.backoff);
    this.reconnectTimer = setTimeout(() => {
      if (this.stateValue === 'disconnected') this.connect();
    }, delay);
  }

  private onFrame(
    gen: number,
    event: ModeslEvent,
    headers: Record<string, unknown>,
    _body: string | undefined,
  ): void {
    if (gen !== this.generation) return;
    this.lastActivity = Date.now();
    if (!isEventContentType(headers['Content-Type'])) return;
    const raw = toRawEvent(event);
    const key = raw.subclass ? `${raw.name}::${raw.subclass}` : raw.name;
    this.eventsReceived[key] = (this.eventsReceived[key] ?? 0) + 1;
    const forJob = raw.name === 'BACKGROUND_JOB' && this.jobs.size > 0;
    const forExecution = raw.name === 'CHANNEL_EXECUTE_COMPLETE' && this.executions.size > 0;
    if (this.rawListeners.size > 0) this.rawListeners.emit(raw.name, raw);
    // Typing reads (and so indexes) the event's headers: skip it for events nobody is waiting for.
    if (!forJob && !forExecution && !this.eventListeners.wanted(raw.name)) return;
    let typed: EslEvent;
    try {
      typed = toTypedEvent(raw);
    } catch (err) {
      this.counters.parseErrors++;
      this.errorListeners.emit(err instanceof EslEventParseError ? err : new Error(String(err)));
      return;
    }
    if (typed.eventName === 'BACKGROUND_JOB') this.jobs.get(typed.jobUuid)?.(typed);
    if (typed.eventName === 'CHANNEL_EXECUTE_COMPLETE' && typed.applicationUuid)
      this.executions.get(typed.applicationUuid)?.(typed);
    this.eventListeners.emit(raw.name, typed);
  }
}

export function eventCommand(events: readonly string[], subclasses: readonly string[]): string {
  const names = events.filter((e) => e !== 'CUSTOM');
  const custom = subclasses.length > 0 ? ['CUSTOM', ...subclasses] : [];
  // FreeSWITCH treats every word after CUSTOM as a subclass, so CUSTOM goes last.
  return `event plain ${[...names, ...custom].join(' ')}`;
}
