// One inbound event-socket connection to one FreeSWITCH node, kept alive across refusals, drops,
// failed auth and dead peers. Each (re)connect builds a fresh modesl connection and tears the old one
// down completely, so listeners and subscriptions never pile up.
import { backoffDelay } from './backoff.js';
import { EslNotConnectedError, EslTimeoutError } from './errors.js';
import { Listeners } from './listeners.js';
import { createInboundConnection, type ModeslConnection, type ModeslEvent } from './modesl.js';
import type { EslNodeState, ResolvedNodeOptions } from './node-options.js';

/** What the node using the link does at each point of a connection's life. */
export interface LinkHooks {
  /** After authentication, before the link is ready: (re-)subscribe on the new connection. */
  subscribe(conn: ModeslConnection): Promise<void>;
  /** Every frame of the current connection. */
  onFrame(event: ModeslEvent, headers: Record<string, unknown>): void;
  /** The connection went away (dropped or closed): settle everything still waiting on it. */
  onDown(): void;
  /** Non-fatal problems: socket errors, failed auth, time-outs. */
  onError(err: Error): void;
}

export class NodeLink {
  private conn: ModeslConnection | undefined;
  private generation = 0;
  private attempt = 0;
  private stateValue: EslNodeState = 'idle';
  private reconnectTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private livenessTimer: NodeJS.Timeout | undefined;
  private lastActivity = 0;
  private readonly stateListeners = new Listeners<[EslNodeState]>();
  private readyWaiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  readonly counters = { connectAttempts: 0, connects: 0, disconnects: 0, authFailures: 0 };

  constructor(
    private readonly o: ResolvedNodeOptions,
    private readonly hooks: LinkHooks,
  ) {}

  get state(): EslNodeState {
    return this.stateValue;
  }

  /** The current modesl connection, ready or not. */
  get connection(): ModeslConnection | undefined {
    return this.conn;
  }

  onState(fn: (s: EslNodeState) => void): () => void {
    return this.stateListeners.add(fn);
  }

  start(): void {
    if (this.stateValue !== 'idle') return;
    this.connect();
  }

  /** Resolves once authenticated and subscribed. */
  waitReady(timeoutMs: number): Promise<void> {
    const name = this.o.name;
    if (this.stateValue === 'ready') return Promise.resolve();
    // Not settled by a dropped attempt, only by the time-out or close().
    if (this.stateValue === 'closed')
      return Promise.reject(new EslNotConnectedError(`${name}: wait for ready`, name));
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
        reject(new EslTimeoutError(`${name}: wait for ready`, timeoutMs, name));
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

  /** Drops the current connection and reconnects after the back-off. */
  drop(): void {
    this.teardown('disconnected');
  }

  private setState(s: EslNodeState): void {
    if (this.stateValue === s) return;
    this.stateValue = s;
    this.stateListeners.emit(s);
  }

  private connect(): void {
    const gen = ++this.generation;
    this.counters.connectAttempts++;
    this.setState('connecting');
    const conn = createInboundConnection(this.o.host, this.o.port, this.o.password, (event, headers) => {
      if (gen !== this.generation) return;
      this.lastActivity = Date.now();
      this.hooks.onFrame(event, headers);
    });
    this.conn = conn;
    this.lastActivity = Date.now();
    conn.on('error', (err: Error) => {
      if (gen !== this.generation) return;
      this.hooks.onError(err);
      this.teardown('disconnected');
    });
    conn.on('esl::event::auth::fail', () => {
      if (gen !== this.generation) return;
      this.counters.authFailures++;
      this.hooks.onError(new Error(`${this.o.name}: authentication failed`));
      this.teardown('disconnected');
    });
    conn.on('esl::event::auth::success', () => {
      if (gen !== this.generation) return;
      this.afterAuth(gen, conn).catch((err: unknown) => {
        if (gen !== this.generation) return;
        this.hooks.onError(err instanceof Error ? err : new Error(String(err)));
        this.teardown('disconnected');
      });
    });
    conn.socket?.on('close', () => {
      if (gen === this.generation) this.teardown('disconnected');
    });
    this.connectTimer = setTimeout(() => {
      if (gen !== this.generation || this.stateValue === 'ready') return;
      this.hooks.onError(
        new Error(`${this.o.name}: no ready connection within ${this.o.connectTimeoutMs} ms`),
      );
      this.teardown('disconnected');
    }, this.o.connectTimeoutMs);
  }

  private async afterAuth(gen: number, conn: ModeslConnection): Promise<void> {
    await this.hooks.subscribe(conn);
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
        this.hooks.onError(new Error(`${this.o.name}: nothing received for ${this.o.livenessTimeoutMs} ms`));
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
    this.hooks.onDown();
    if (this.stateValue === 'closed') return;
    if (next === 'closed') {
      this.setState('closed');
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      waiters.forEach((w) => w.reject(new EslNotConnectedError(`${this.o.name}: closed`, this.o.name)));
      return;
    }
    this.setState('disconnected');
    clearTimeout(this.reconnectTimer);
    const delay = backoffDelay(this.attempt++, this.o.backoff);
    this.reconnectTimer = setTimeout(() => {
      if (this.stateValue === 'disconnected') this.connect();
    }, delay);
  }
}
