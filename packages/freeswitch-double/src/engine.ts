// Runs dialplan applications on a double channel and fires the events FreeSWITCH fires, in its order
// (captures esl-outbound-conn1/conn2 and the event-plain-ALL stream).
import { randomUUID } from 'node:crypto';
import { applyAckVars, applyAnswerVars, applyHangupVars, Channel, type CallerProfile } from './channel.js';
import type { Timing } from './context.js';
import type { EventFactory, FsEvent, Header, NodeIdentity } from './fs-event.js';
import type { Registration } from './registrations.js';

/** What the call engine needs from the switch; the engine owns it, so nothing here imports the switch. */
export interface SwitchContext {
  readonly identity: NodeIdentity;
  readonly factory: EventFactory;
  readonly timing: Timing;
  broadcast(ev: FsEvent): void;
  nextSessionId(): number;
  findRegistration(user: string, domain: string): Registration | undefined;
  track(rt: CallRuntime): void;
  removeChannel(uuid: string): void;
}

export interface ExecRequest {
  app: string;
  data: string;
  /** Application-UUID: the Event-UUID of the sendmsg, or FreeSWITCH's own. */
  appUuid: string;
  /** Apps run through sendmsg get current_loop/total_loops. */
  viaSendmsg: boolean;
}

export interface RuntimeListener {
  /** Every event of this channel, after it was broadcast. */
  onChannelEvent?(ev: FsEvent): void;
  /** The socket app finished (hang-up or socket closed). */
  onSocketDone?(): void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

export class CallRuntime {
  readonly ch: Channel;
  private queue: Promise<void> = Promise.resolve();
  private current: { req: ExecRequest; abort: AbortController } | undefined;
  private readonly dtmfBuffer: string[] = [];
  private dtmfWaiter: ((d: string) => void) | undefined;
  private lastApp: { app: string; arg: string } | undefined;
  private digitsDialed = '';
  private recordSession: string | undefined;
  private pendingAck = false;
  private hangingUp = false;
  private socketUuid: string | undefined;
  listener: RuntimeListener | undefined;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    private readonly sw: SwitchContext,
    profile: CallerProfile,
  ) {
    this.ch = new Channel(profile, sw.factory.nowUs());
    this.done = new Promise((r) => {
      this.resolveDone = r;
    });
  }

  get uuid(): string {
    return this.ch.uuid;
  }

  get isUp(): boolean {
    return !this.hangingUp;
  }

  get currentApp(): ExecRequest | undefined {
    return this.current?.req;
  }

  emit(ev: FsEvent): void {
    this.sw.broadcast(ev);
    this.listener?.onChannelEvent?.(ev);
  }

  channelEvent(
    name: string,
    o: { variables?: boolean; profile?: boolean; before?: Header[]; after?: Header[] } = {},
  ): void {
    this.emit(this.ch.event(this.sw.factory, name, o));
  }

  /** CS_INIT → CHANNEL_CREATE → ROUTING → EXECUTE, as for an INVITE that passed auth. */
  start(): void {
    this.sw.track(this);
    this.channelEvent('CHANNEL_STATE', { variables: false, profile: false });
    this.ch.setState('CS_INIT');
    this.channelEvent('CHANNEL_STATE', { variables: false });
    // Channel-State-Number already shows the next state (routing) while the running state is CS_INIT.
    this.ch.stateNumber = 2;
    this.channelEvent('CHANNEL_CREATE');
    this.ch.callState = 'RINGING';
    this.ch.setState('CS_ROUTING');
    this.channelEvent('CHANNEL_STATE', { variables: false });
    this.ch.setState('CS_EXECUTE');
    this.channelEvent('CHANNEL_STATE', { variables: false });
    this.ch.vars.set('call_uuid', this.ch.uuid);
  }

  answer(): void {
    if (this.ch.answerState === 'answered' || this.hangingUp) return;
    this.ch.times.answered = this.sw.factory.nowUs();
    this.ch.answerState = 'answered';
    applyAnswerVars(this.ch, 20000 + Math.floor(Math.random() * 10000));
    this.pendingAck = true;
    this.channelEvent('CHANNEL_ANSWER');
    // The call state turns ACTIVE just after CHANNEL_ANSWER (CHANNEL_CALLSTATE).
    this.ch.callState = 'ACTIVE';
  }

  private applyPendingAck(): void {
    if (!this.pendingAck) return;
    this.pendingAck = false;
    applyAckVars(this.ch);
  }

  /** The dialplan's `socket` app took control; returns the Application-UUID used for its completion. */
  startSocketApp(data: string): void {
    this.socketUuid = randomUUID();
    const v = this.ch.vars;
    v.set('current_application_data', data);
    v.set('current_application', 'socket');
    this.channelEvent('CHANNEL_EXECUTE', {
      after: [
        ['Application', 'socket'],
        ['Application-Data', data],
        ['Application-UUID', this.socketUuid],
      ],
    });
    v.set('current_application_data', data);
    v.set('current_application', 'socket');
    v.set('socket_host', data.split(/[: ]/)[0] ?? '');
    this.lastApp = { app: 'socket', arg: data };
    this.ch.socketApp = { data };
    this.applyPendingAck();
  }

  park(): void {
    this.channelEvent('CHANNEL_PARK');
  }

  /** Queues an app like the session's private queue does (apps run one at a time). */
  enqueue(req: ExecRequest): void {
    this.queue = this.queue.then(() => this.run(req)).catch(() => undefined);
  }

  /** Runs fn after every app queued so far (the dialplan's next action). */
  afterQueue<T>(fn: () => Promise<T> | T): Promise<T> {
    const p = this.queue.then(fn);
    this.queue = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  /** A digit from the caller: consumed by a running read, else buffered (a parked channel consumes it at once). */
  press(digit: string): void {
    if (this.hangingUp) return;
    this.digitsDialed += digit;
    if (this.dtmfWaiter) {
      const w = this.dtmfWaiter;
      this.dtmfWaiter = undefined;
      this.dtmfEvent(digit);
      w(digit);
    } else if (!this.current) {
      this.dtmfEvent(digit);
    } else {
      this.dtmfBuffer.push(digit);
    }
  }

  private dtmfEvent(digit: string): void {
    this.channelEvent('DTMF', {
      variables: false,
      after: [
        ['DTMF-Digit', digit],
        ['DTMF-Duration', '2000'],
        ['DTMF-Source', 'RTP'],
      ],
    });
  }

  private nextDigit(timeoutMs: number, signal: AbortSignal): Promise<string | undefined> {
    const buffered = this.dtmfBuffer.shift();
    if (buffered !== undefined) {
      this.dtmfEvent(buffered);
      return Promise.resolve(buffered);
    }
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.dtmfWaiter = undefined;
        resolve(undefined);
      }, timeoutMs);
      const onAbort = () => {
        clearTimeout(t);
        this.dtmfWaiter = undefined;
        resolve(undefined);
      };
      signal.addEventListener('abort', onAbort);
      this.dtmfWaiter = (d) => {
        clearTimeout(t);
        signal.removeEventListener('abort', onAbort);
        resolve(d);
      };
    });
  }

  private async run(req: ExecRequest): Promise<void> {
    if (this.hangingUp) return;
    const v = this.ch.vars;
    this.applyPendingAck();
    v.unset('current_application_response');
    if (req.viaSendmsg) {
      v.set('current_loop', '1');
      v.set('total_loops', '1');
    }
    v.set('current_application', req.app);
    v.set('current_application_data', req.data);
    const appHeaders = (): Header[] => [
      ['Application', req.app],
      ['Application-Data', req.data],
    ];
    this.channelEvent('CHANNEL_EXECUTE', { after: [...appHeaders(), ['Application-UUID', req.appUuid]] });
    v.set('current_application_data', req.data);
    v.set('current_application', req.app);
    this.lastApp = { app: req.app, arg: req.data };
    const abort = new AbortController();
    this.current = { req, abort };
    try {
      await this.runApp(req, abort.signal);
    } finally {
      this.current = undefined;
    }
    const response = v.get('current_application_response') ?? '_none_';
    this.channelEvent('CHANNEL_EXECUTE_COMPLETE', {
      after: [...appHeaders(), ['Application-Response', response], ['Application-UUID', req.appUuid]],
    });
    if (req.viaSendmsg) {
      v.unset('current_loop');
      v.unset('total_loops');
    }
    if (req.app === 'hangup') this.finishHangup();
  }

  private playbackVars(ms: number): void {
    const samples = Math.round((ms / 1000) * 8000);
    const v = this.ch.vars;
    v.set('playback_last_offset_pos', String(samples));
    v.set('playback_seconds', String(Math.floor(ms / 1000)));
    v.set('playback_ms', String(ms));
    v.set('playback_samples', String(samples));
  }

  private async play(file: string, signal: AbortSignal): Promise<boolean> {
    const type = file.includes('://') ? file.slice(0, file.indexOf('://')) : 'file';
    const fileHeaders: Header[] = [
      ['Playback-File-Type', type],
      ['Playback-File-Path', file],
    ];
    this.channelEvent('PLAYBACK_START', { after: fileHeaders });
    const started = Date.now();
    await sleep(this.sw.timing.playbackMs, signal);
    const ms = signal.aborted ? Date.now() - started : this.sw.timing.playbackMs;
    this.playbackVars(ms);
    this.channelEvent('PLAYBACK_STOP', {
      after: [...fileHeaders, ['Playback-Status', signal.aborted ? 'break' : 'done']],
    });
    return !signal.aborted;
  }

  private async runApp(req: ExecRequest, signal: AbortSignal): Promise<void> {
    const v = this.ch.vars;
    switch (req.app) {
      case 'answer':
        this.answer();
        return;
      case 'playback': {
        const ok = await this.play(req.data, signal);
        v.set('current_application_response', ok ? 'FILE PLAYED' : 'PLAYBACK ERROR');
        return;
      }
      case 'play_and_get_digits':
        await this.playAndGetDigits(req.data, signal);
        return;
      case 'sleep':
        await sleep(Number(req.data) || 0, signal);
        return;
      case 'set': {
        const at = req.data.indexOf('=');
        if (at > 0) v.set(req.data.slice(0, at), req.data.slice(at + 1));
        return;
      }
      case 'hangup':
        this.beginHangup(req.data || 'NORMAL_CLEARING');
        return;
      case 'record':
        await this.record(req.data, signal);
        return;
      case 'record_session':
        this.recordSession = req.data.split(' ')[0] ?? req.data;
        this.channelEvent('RECORD_START', { after: [['Record-File-Path', this.recordSession]] });
        return;
      case 'bridge':
        await this.bridge(req.data, signal);
        return;
      case 'transfer': {
        const [dest] = req.data.split(' ');
        this.ch.profile = {
          ...this.ch.profile,
          destinationNumber: dest ?? this.ch.profile.destinationNumber,
        };
        this.ch.times.bridged = this.ch.times.bridged || 0;
        return;
      }
      case 'park':
        return;
      default:
        // FreeSWITCH logs "Invalid Application" and the execute completes with no response.
        return;
    }
  }

  private async playAndGetDigits(data: string, signal: AbortSignal): Promise<void> {
    const a = data.split(' ');
    const min = Number(a[0] ?? 1);
    const max = Number(a[1] ?? 1);
    const tries = Number(a[2] ?? 1);
    const timeout = Number(a[3] ?? 5000);
    const terminators = a[4] ?? '#';
    const file = a[5] ?? '';
    const varName = a[7] ?? 'pagd_digits';
    const re = new RegExp(`^(?:${a[8] ?? '\\d+'})$`);
    const digitTimeout = Number(a[9] ?? timeout);
    const v = this.ch.vars;
    let result: 'success' | 'timeout' | 'failure' = 'timeout';
    for (let t = 0; t < tries && !signal.aborted; t++) {
      await this.play(file, signal);
      let digits = '';
      let first = true;
      while (!signal.aborted && digits.length < max) {
        const d = await this.nextDigit(first ? timeout : digitTimeout, signal);
        first = false;
        if (d === undefined) break;
        if (terminators.includes(d)) break;
        digits += d;
      }
      if (digits.length >= min && re.test(digits)) {
        v.set('read_result', 'success');
        v.set(varName, digits);
        return;
      }
      result = digits.length === 0 ? 'timeout' : 'failure';
    }
    v.set('read_result', result);
  }

  private async record(data: string, signal: AbortSignal): Promise<void> {
    const [path = '', limit] = data.split(' ');
    this.channelEvent('RECORD_START', { after: [['Record-File-Path', path]] });
    const started = Date.now();
    await sleep(limit ? Number(limit) * 1000 : this.sw.timing.recordMs, signal);
    this.recordVars(Date.now() - started);
    this.channelEvent('RECORD_STOP', { after: [['Record-File-Path', path]] });
  }

  private recordVars(ms: number): void {
    const v = this.ch.vars;
    v.set('record_seconds', String(Math.floor(ms / 1000)));
    v.set('record_ms', String(ms));
    v.set('record_samples', String(Math.round(ms * 8)));
  }

  private async bridge(data: string, signal: AbortSignal): Promise<void> {
    const m = /^user\/([^@]+)@(.+)$/.exec(data.trim());
    const reg = m ? this.sw.findRegistration(m[1] ?? '', m[2] ?? '') : undefined;
    if (!m || !reg) {
      this.ch.vars.set('originate_disposition', 'USER_NOT_REGISTERED');
      this.ch.vars.set('current_application_response', undefined);
      return;
    }
    const b = new CallRuntime(this.sw, {
      direction: 'outbound',
      username: this.ch.profile.username,
      callerIdName: this.ch.vars.get('effective_caller_id_name') ?? this.ch.profile.callerIdName,
      callerIdNumber: this.ch.vars.get('effective_caller_id_number') ?? this.ch.profile.callerIdNumber,
      origCallerIdName: this.ch.profile.callerIdName,
      calleeIdName: 'Outbound Call',
      calleeIdNumber: reg.user,
      networkAddr: reg.networkIp,
      destinationNumber: reg.user,
      context: this.ch.profile.context,
      channelName: `sofia/${reg.profile}/${reg.user}@${reg.contactHost}:${reg.contactPort}`,
    });
    b.ch.hitDialplan = false;
    b.ch.callUuid = this.ch.uuid;
    b.ch.vars.set('direction', 'outbound');
    b.ch.vars.set('is_outbound', 'true');
    b.ch.vars.set('uuid', b.uuid);
    b.ch.vars.set('session_id', String(this.sw.nextSessionId()));
    b.ch.vars.set('channel_name', b.ch.profile.channelName);
    b.ch.vars.set('originator', this.ch.uuid);
    b.ch.vars.set('dialed_user', reg.user);
    b.ch.vars.set('dialed_domain', reg.domain);
    b.ch.otherLeg = { type: 'originator', channel: this.ch };
    this.ch.otherLeg = { type: 'originatee', channel: b.ch };
    this.ch.profile = { ...this.ch.profile, calleeIdName: 'Outbound Call', calleeIdNumber: reg.user };
    b.start();
    await sleep(this.sw.timing.bridgeAnswerMs, signal);
    if (signal.aborted || this.hangingUp) {
      b.beginHangup('ORIGINATOR_CANCEL');
      b.finishHangup();
      return;
    }
    b.answer();
    b.ch.setState('CS_EXCHANGE_MEDIA');
    this.answer();
    const now = this.sw.factory.nowUs();
    this.ch.times.bridged = now;
    b.ch.times.bridged = now;
    this.ch.vars.set('bridge_uuid', b.uuid);
    b.ch.vars.set('bridge_uuid', this.ch.uuid);
    this.channelEvent('CHANNEL_BRIDGE', {
      before: [
        ['Bridge-A-Unique-ID', this.uuid],
        ['Bridge-B-Unique-ID', b.uuid],
      ],
    });
    // The bridge lasts until either leg hangs up; the other leg follows.
    await Promise.race([b.done, new Promise<void>((r) => signal.addEventListener('abort', () => r()))]);
    if (b.isUp) b.beginHangup(this.ch.hangupCause ?? 'NORMAL_CLEARING');
    this.channelEvent('CHANNEL_UNBRIDGE', {
      before: [
        ['Bridge-A-Unique-ID', this.uuid],
        ['Bridge-B-Unique-ID', b.uuid],
      ],
    });
    b.finishHangup();
    if (!this.hangingUp) this.beginHangup(b.ch.hangupCause ?? 'NORMAL_CLEARING');
  }

  /** CHANNEL_HANGUP: fired the moment hang-up starts; running apps are interrupted. */
  beginHangup(cause: string): void {
    if (this.hangingUp) return;
    this.hangingUp = true;
    this.ch.hangupCause = cause;
    this.ch.answerState = 'hangup';
    this.ch.stateNumber = 10;
    this.channelEvent('CHANNEL_HANGUP');
    this.current?.abort.abort();
  }

  /** Who sent the BYE: decides `sip_hangup_disposition` (recv_bye / send_bye). */
  private byeFromCaller = false;

  /** The hang-up from outside the app queue (caller BYE, uuid_kill, sendmsg hangup). */
  hangup(cause = 'NORMAL_CLEARING', byCaller = false): void {
    if (this.hangingUp) return;
    this.byeFromCaller = byCaller;
    this.beginHangup(cause);
    // Let an interrupted app report its completion first, as the session thread does.
    this.queue = this.queue.then(() => this.finishHangup()).catch(() => undefined);
  }

  /** UNPARK, the socket app's completion, CS_HANGUP, RECORD_STOP, CS_REPORTING, HANGUP_COMPLETE, DESTROY. */
  finishHangup(): void {
    if (this.ch.state === 'CS_REPORTING' || this.ch.state === 'CS_DESTROY' || this.ch.state === 'CS_HANGUP')
      return;
    if (this.ch.socketApp) {
      this.channelEvent('CHANNEL_UNPARK');
      this.completeSocketApp();
    }
    this.ch.setState('CS_HANGUP');
    this.ch.stateNumber = 10;
    this.channelEvent('CHANNEL_STATE', { variables: false });
    this.ch.times.hangup = this.sw.factory.nowUs();
    if (this.recordSession) {
      this.recordVars(Math.max(0, Math.floor((this.sw.factory.nowUs() - this.ch.times.answered) / 1000)));
      this.ch.vars.set('record_completion_cause', 'success-silence');
      this.channelEvent('RECORD_STOP', {
        after: [
          ['Record-File-Path', this.recordSession],
          ['Record-Completion-Cause', 'success-silence'],
        ],
      });
    }
    this.ch.callState = 'HANGUP';
    this.ch.setState('CS_REPORTING');
    this.channelEvent('CHANNEL_STATE', { variables: false });
    applyHangupVars(this.ch, this.lastApp, this.digitsDialed, this.byeFromCaller ? 'recv_bye' : 'send_bye');
    this.channelEvent('CHANNEL_HANGUP_COMPLETE', {
      before: [['Hangup-Cause', this.ch.hangupCause ?? 'NORMAL_CLEARING']],
    });
    this.ch.stateNumber = 12;
    this.channelEvent('CHANNEL_DESTROY');
    this.ch.setState('CS_DESTROY');
    this.channelEvent('CHANNEL_STATE', { variables: false });
    this.sw.removeChannel(this.uuid);
    this.resolveDone();
  }

  private completeSocketApp(): void {
    const app = this.ch.socketApp;
    if (!app) return;
    this.ch.socketApp = undefined;
    this.channelEvent('CHANNEL_EXECUTE_COMPLETE', {
      after: [
        ['Application', 'socket'],
        ['Application-Data', app.data],
        // The socket app reports whatever response the last app left behind.
        ['Application-Response', this.ch.vars.get('current_application_response') ?? '_none_'],
        ['Application-UUID', this.socketUuid ?? randomUUID()],
      ],
    });
    this.listener?.onSocketDone?.();
  }

  /** The controller closed the socket while the call was up: `socket` was the last action, so FreeSWITCH hangs up. */
  socketClosed(): void {
    if (this.hangingUp || !this.ch.socketApp) return;
    this.channelEvent('CHANNEL_UNPARK');
    this.completeSocketApp();
    this.hangup('NORMAL_CLEARING');
  }
}
