// A call on the double: its channel's life (create, answer, the app queue, DTMF, hang-up) and the events
// FreeSWITCH fires for it, in its order (captures esl-outbound-conn1/conn2 and the event-plain-ALL stream).
// The applications themselves are in apps.ts.
import { Channel, type CallerProfile } from './channel.js';
import { applyAckVars, applyAnswerVars } from './channel-vars.js';
import { DtmfInput } from './dtmf.js';
import type { EventFactory, FsEvent, Header, NodeIdentity } from './fs-event.js';
import type { Registration } from './registrations.js';
import type { SofiaGatewayTable } from './sofia-gateways.js';
import { expandVariables } from './expand.js';
import { executeOnAnswer, runApp, type AppRuntime, type ExecRequest } from './applications/index.js';
import { hangupStates } from './hangup-states.js';
import { completeSocketApp, startSocketApp } from './socket-app.js';
import type { MediaOptions } from './applications/media.js';
import type { Speech } from './applications/types.js';
import type { Timing } from './context.js';

export type { ExecRequest } from './applications/index.js';

/** What the call engine needs from the switch; the engine owns it, so nothing here imports the switch. */
export interface SwitchContext {
  readonly identity: NodeIdentity;
  readonly factory: EventFactory;
  readonly timing: Timing;
  readonly media: MediaOptions;
  broadcast(ev: FsEvent): void;
  nextSessionId(): number;
  findRegistration(user: string, domain: string): Registration | undefined;
  readonly trunks: Pick<SofiaGatewayTable, 'outcome' | 'gateways'>;
  track(rt: CallRuntime): void;
  removeChannel(uuid: string): void;
}

export interface RuntimeListener {
  /** Every event of this channel, after it was broadcast. */
  onChannelEvent?(ev: FsEvent): void;
  /** The socket app finished (hang-up or socket closed). */
  onSocketDone?(): void;
}

export class CallRuntime implements AppRuntime {
  readonly ch: Channel;
  private queue: Promise<void> = Promise.resolve();
  private current: { req: ExecRequest; abort: AbortController; brk: AbortController } | undefined;
  /** Every event of this channel, after it was broadcast (scripted callers watch through these). */
  readonly taps = new Set<(ev: FsEvent) => void>();
  /** What the caller will say into the coming `record`s, oldest first. */
  readonly speech: Speech[] = [];
  private readonly dtmf = new DtmfInput((digit) =>
    this.channelEvent('DTMF', {
      variables: false,
      after: [
        ['DTMF-Digit', digit],
        ['DTMF-Duration', '2000'],
        ['DTMF-Source', 'RTP'],
      ],
    }),
  );
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
    readonly sw: SwitchContext,
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
    for (const tap of this.taps) tap(ev);
  }

  nextSpeech(): Speech | undefined {
    return this.speech.shift();
  }

  /** The running application's CF_BREAK (`uuid_break`); a never-aborted signal when none runs. */
  get breakSignal(): AbortSignal {
    return this.current?.brk.signal ?? new AbortController().signal;
  }

  /** `uuid_break`: stops the running playback, record or sleep. */
  breakMedia(): void {
    this.current?.brk.abort();
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
    executeOnAnswer(this);
  }

  private applyPendingAck(): void {
    if (!this.pendingAck) return;
    this.pendingAck = false;
    applyAckVars(this.ch);
  }

  /** The dialplan's `socket` app took control. */
  startSocketApp(data: string): void {
    this.socketUuid = startSocketApp(this, data);
    this.lastApp = { app: 'socket', arg: data };
    this.applyPendingAck();
  }

  startRecordSession(path: string): void {
    this.recordSession = path;
    this.channelEvent('RECORD_START', { after: [['Record-File-Path', path]] });
  }

  newLeg(profile: CallerProfile): CallRuntime {
    return new CallRuntime(this.sw, profile);
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
    this.dtmf.press(digit, this.current !== undefined);
  }

  nextDigit(timeoutMs: number, signal: AbortSignal): Promise<string | undefined> {
    return this.dtmf.next(timeoutMs, signal);
  }

  private async run(request: ExecRequest): Promise<void> {
    if (this.hangingUp) return;
    const v = this.ch.vars;
    // switch_core_session_execute_application_get_flags expands the data before the app (and its events) see it.
    const req = { ...request, data: expandVariables(request.data, (name) => v.get(name)) };
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
    this.current = { req, abort, brk: new AbortController() };
    try {
      await runApp(this, req, abort.signal);
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
    // sched_hangup +0 hangs up at once, as `hangup` does (switch_channel_hangup), and so does a bridge that ended
    // the call (hangup_after_bridge, or a failure continue_on_fail does not cover).
    if (req.app === 'hangup' || ((req.app === 'sched_hangup' || req.app === 'bridge') && this.hangingUp))
      this.finishHangup();
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

  /** UNPARK and the socket app's completion, then the hang-up's states and events (hangup-states.ts). */
  finishHangup(): void {
    if (this.ch.state === 'CS_REPORTING' || this.ch.state === 'CS_DESTROY' || this.ch.state === 'CS_HANGUP')
      return;
    if (this.ch.socketApp) {
      this.channelEvent('CHANNEL_UNPARK');
      this.completeSocketApp();
    }
    hangupStates(this, {
      recordSession: this.recordSession,
      lastApp: this.lastApp,
      digitsDialed: this.digitsDialed,
      disposition: this.byeFromCaller ? 'recv_bye' : 'send_bye',
    });
    this.sw.removeChannel(this.uuid);
    this.resolveDone();
  }

  private completeSocketApp(): void {
    if (completeSocketApp(this, this.socketUuid)) this.listener?.onSocketDone?.();
  }

  /** The controller closed the socket while the call was up: `socket` was the last action, so FreeSWITCH hangs up. */
  socketClosed(): void {
    if (this.hangingUp || !this.ch.socketApp) return;
    this.channelEvent('CHANNEL_UNPARK');
    this.completeSocketApp();
    this.hangup('NORMAL_CLEARING');
  }
}
