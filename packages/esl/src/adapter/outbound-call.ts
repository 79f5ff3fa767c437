// One call controlled over an outbound socket (FreeSWITCH's `socket host:port async full` dialplan app):
// typed commands, each settled by its own reply or CHANNEL_EXECUTE_COMPLETE, a time-out, or the hang-up.
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { EslCommandError, EslHangupError, EslNotConnectedError } from './errors.js';
import type { ChannelData, ChannelExecuteCompleteEvent, EslEvent } from './events.js';
import { Listeners } from './listeners.js';
import type { ModeslConnection } from './modesl.js';
import { PendingSet } from './pending.js';
import { assertSingleLine, buildSendmsg, replyText, type ExecuteOptions } from './sendmsg.js';

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

  /** Commands and executions still waiting for their answer (0 once the call is over: nothing leaks). */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Event listeners added through `onEvent` and not yet removed. */
  get listenerCount(): number {
    return this.listeners.size;
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
    // Two variables read off the header block: `event.variables` would decode all ~200 of them (and the GC
    // then collects them) for every key a caller presses.
    const vars = event.rawHeaders;
    return { digits: vars.variable(variable) ?? '', result: vars.variable('read_result'), event };
  }

  async hangup(cause = 'NORMAL_CLEARING'): Promise<void> {
    this.assertOpen('hangup');
    await this.command(`sendmsg ${this.uuid}`, { 'call-command': 'hangup', 'hangup-cause': cause });
  }

  /** Current value of a channel variable, or undefined when unset (`uuid_getvar` prints `_undef_`). */
  async getVariable(name: string): Promise<string | undefined> {
    this.assertOpen('getVariable');
    assertSingleLine('getVariable', name);
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
      const cut = setTimeout(() => s.destroy(), 1000);
      cut.unref();
      s.once('close', () => clearTimeout(cut));
    }
  }

  /** @internal The call's socket (the server corks it around the set-up commands). */
  get socket(): Socket | undefined {
    return this.conn.socket ?? undefined;
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
    try {
      assertSingleLine(command, command, ...Object.entries(headers ?? {}).flat());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return this.pending.track(command, this.o.commandTimeoutMs, (resolve, reject) => {
      this.conn.sendRecv(command, headers, (evt) => {
        const reply = replyText(evt);
        if (reply.startsWith('-ERR')) reject(new EslCommandError(command, reply, this.uuid));
        else resolve(reply);
      });
    });
  }
}
