// A scripted caller: the channel FreeSWITCH creates for an INVITE, its dialplan (answer, apps, `socket`),
// and the caller's digits and hang-up.
import { randomUUID } from 'node:crypto';
import type { Channel } from './channel.js';
import { applySofiaInviteVars } from './channel-vars.js';
import type { Speech } from './applications/types.js';
import { ScriptedCaller, type AppMatch, type AppStart, type ScriptStep } from './caller.js';
import { CallRuntime, type SwitchContext } from './engine.js';
import type { OutboundRouting } from './outbound-routing.js';
import { OutboundSession, type SocketTarget } from './outbound-session.js';
import type { SessionHost } from './session-host.js';

export interface PlaceCallOptions {
  from: string;
  to: string;
  domain?: string;
  callerName?: string;
  /** Directory `effective_caller_id_name`. */
  effectiveCallerIdName?: string;
  context?: string;
  profile?: string;
  accountcode?: string;
  networkIp?: string;
  networkPort?: number;
  userAgent?: string;
  /** The dialplan answers before handing the call to the socket (the 5000 capture); default false (5001). */
  answer?: boolean;
  /** Connect outbound like `socket host:port async full`. Without it the call is parked. */
  socket?: SocketTarget;
  /** Digits the caller presses, ms after the call starts. */
  digits?: ReadonlyArray<{ digit: string; atMs: number }>;
  /** Dialplan applications run before `socket` (or instead of it), e.g. [['bridge', 'user/1002@acme.test']]. */
  apps?: ReadonlyArray<readonly [app: string, data: string]>;
  /** The caller hangs up this many ms after the call starts. */
  hangupAfterMs?: number;
  /** Scripted reactions to the applications the controller runs (see ScriptedCaller.script). */
  script?: readonly ScriptStep[];
  /** What the caller says into the coming recordings, in order. */
  says?: readonly Speech[];
}

export interface DoubleCall {
  readonly uuid: string;
  readonly channel: Channel;
  /** Resolves when the outbound socket is connected (if `socket` was given). */
  readonly connected: Promise<void>;
  /** Resolves after CHANNEL_HANGUP_COMPLETE / DESTROY. */
  readonly ended: Promise<void>;
  /** The commands the controller sent on the outbound socket. */
  readonly outboundCommands: readonly string[];
  press(digits: string, gapMs?: number): Promise<void>;
  /** The caller hangs up (BYE). */
  hangup(cause?: string): void;
  /** Every application the channel started (CHANNEL_EXECUTE), in order. */
  readonly apps: readonly AppStart[];
  /** Every file whose playback started (PLAYBACK_START), in order: prompts of play_and_get_digits included. */
  readonly played: readonly string[];
  /** The first matching application started so far or later; rejects if the call ends first. */
  waitForApp(name: string, predicate?: (a: AppStart) => boolean): Promise<AppStart>;
  /** Runs `handler` each time a matching application starts (just after its CHANNEL_EXECUTE); returns the unsubscribe. */
  onApp(match: AppMatch, handler: (a: AppStart) => void): () => void;
  /** Presses `digits` when the next matching application starts (during its prompt). */
  pressOn(match: AppMatch, digits: string): void;
  /** Presses `digits` when `file` starts playing for the `nth` time (default 1), e.g. a re-prompt of play_and_get_digits. */
  pressOnPlayback(file: string, digits: string, nth?: number): void;
  /** Hangs up when the next matching application starts (e.g. mid-prompt, mid-recording). */
  hangupOn(match: AppMatch): void;
  /** Steps in order, each on the next matching application after the previous step. */
  script(steps: readonly ScriptStep[]): void;
  /** What the caller says into the coming `record`s: `{ ms: 4000, then: { press: '#' } }`, `'silence'`, `'hangup'`, `'talk'`. */
  says(...speech: Speech[]): void;
}

/** What a scripted call needs from the double. */
export interface CallHost extends SwitchContext, SessionHost {
  readonly outboundSockets: OutboundRouting;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A caller dials a number: the channel is created, routed, optionally answered, then parked or handed to a socket. */
export function placeCall(host: CallHost, o: PlaceCallOptions): DoubleCall {
  const domain = o.domain ?? 'acme.test';
  const callerName = o.callerName ?? `Ext ${o.from}`;
  const networkIp = o.networkIp ?? '127.0.0.1';
  const profileName = o.profile ?? 'internal';
  const rt = new CallRuntime(host, {
    direction: 'inbound',
    username: o.from,
    callerIdName: callerName,
    callerIdNumber: o.from,
    networkAddr: networkIp,
    destinationNumber: o.to,
    context: o.context ?? 'default',
    channelName: `sofia/${profileName}/${o.from}@${domain}`,
  });
  const sessionId = host.nextSessionId();
  applySofiaInviteVars(rt.ch, {
    callerNumber: o.from,
    callerName,
    destination: o.to,
    domain,
    context: o.context ?? 'default',
    profile: profileName,
    networkIp,
    networkPort: o.networkPort ?? 5070,
    userAgent: o.userAgent ?? 'SIPp-capture',
    accountcode: o.accountcode,
    effectiveCallerIdName: o.effectiveCallerIdName ?? `Extension ${o.from}`,
    sessionId,
    identity: host.identity,
    eventSequence: 0,
  });
  const caller = new ScriptedCaller(rt);
  if (o.script) caller.script(o.script);
  if (o.says) caller.says(...o.says);
  rt.start();
  if (o.answer) rt.enqueue({ app: 'answer', data: '', appUuid: randomUUID(), viaSendmsg: false });
  for (const [app, data] of o.apps ?? []) rt.enqueue({ app, data, appUuid: randomUUID(), viaSendmsg: false });
  let session: OutboundSession | undefined;
  let connected: Promise<void> = Promise.resolve();
  if (o.socket) {
    const target = o.socket;
    // The dialplan's answer (if any) runs first, then socket.
    connected = rt.afterQueue(async () => {
      const data = `${target.host}:${target.port}${target.async === false ? '' : ' async'}${target.full === false ? '' : ' full'}`;
      rt.startSocketApp(data);
      const s = new OutboundSession(host, rt, host.factory, target, host.outboundSockets);
      session = s;
      await s.ready;
      rt.park();
    });
    connected.catch(() => undefined);
  } else if (!o.apps?.length) {
    rt.park();
  }
  const started = Date.now();
  for (const d of o.digits ?? []) {
    setTimeout(() => rt.press(d.digit), Math.max(0, d.atMs - (Date.now() - started))).unref();
  }
  if (o.hangupAfterMs !== undefined)
    setTimeout(() => rt.hangup('NORMAL_CLEARING', true), o.hangupAfterMs).unref();
  return {
    uuid: rt.uuid,
    channel: rt.ch,
    connected,
    ended: rt.done,
    get outboundCommands(): readonly string[] {
      return session?.commands ?? [];
    },
    press: async (digits, gapMs = 100) => {
      for (const d of digits) {
        rt.press(d);
        await sleep(gapMs);
      }
    },
    hangup: (cause = 'NORMAL_CLEARING') => rt.hangup(cause, true),
    apps: caller.apps,
    played: caller.played,
    waitForApp: (name, predicate) => caller.waitForApp(name, predicate),
    onApp: (match, handler) => caller.onApp(match, handler),
    pressOn: (match, digits) => caller.pressOn(match, digits),
    hangupOn: (match) => caller.hangupOn(match),
    pressOnPlayback: (file, digits, nth) => caller.pressOnPlayback(file, digits, nth),
    script: (steps) => caller.script(steps),
    says: (...speech) => caller.says(...speech),
  };
}
