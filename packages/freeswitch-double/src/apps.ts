// The dialplan applications the double runs (answer, playback, play_and_get_digits, record, bridge, ...),
// firing the events FreeSWITCH fires while each runs (captures esl-outbound-conn1/conn2).
import type { CallerProfile, Channel } from './channel.js';
import type { Timing } from './context.js';
import type { EventFactory, Header } from './fs-event.js';
import type { Registration } from './registrations.js';
import { recordApp } from './record-app.js';

export interface ExecRequest {
  app: string;
  data: string;
  /** Application-UUID: the Event-UUID of the sendmsg, or FreeSWITCH's own. */
  appUuid: string;
  /** Apps run through sendmsg get current_loop/total_loops. */
  viaSendmsg: boolean;
}

/** What the applications need from the switch. */
export interface AppSwitch {
  readonly factory: EventFactory;
  readonly timing: Timing;
  nextSessionId(): number;
  findRegistration(user: string, domain: string): Registration | undefined;
}

/** What the applications need from a call (CallRuntime, engine.ts). */
export interface AppRuntime {
  readonly ch: Channel;
  readonly uuid: string;
  readonly sw: AppSwitch;
  readonly isUp: boolean;
  readonly done: Promise<void>;
  channelEvent(name: string, o?: { variables?: boolean; before?: Header[]; after?: Header[] }): void;
  start(): void;
  answer(): void;
  beginHangup(cause: string): void;
  finishHangup(): void;
  /** The next digit the caller presses (a buffered one first), or undefined after `timeoutMs` or an abort. */
  nextDigit(timeoutMs: number, signal: AbortSignal): Promise<string | undefined>;
  /** `record_session`: RECORD_START now, RECORD_STOP at hang-up. */
  startRecordSession(path: string): void;
  /** A new outbound leg on the same switch (the B leg of a bridge). */
  newLeg(profile: CallerProfile): AppRuntime;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

function playbackVars(ch: Channel, ms: number): void {
  const samples = Math.round((ms / 1000) * 8000);
  const v = ch.vars;
  v.set('playback_last_offset_pos', String(samples));
  v.set('playback_seconds', String(Math.floor(ms / 1000)));
  v.set('playback_ms', String(ms));
  v.set('playback_samples', String(samples));
}

async function play(rt: AppRuntime, file: string, signal: AbortSignal): Promise<boolean> {
  const type = file.includes('://') ? file.slice(0, file.indexOf('://')) : 'file';
  const fileHeaders: Header[] = [
    ['Playback-File-Type', type],
    ['Playback-File-Path', file],
  ];
  rt.channelEvent('PLAYBACK_START', { after: fileHeaders });
  const started = Date.now();
  await sleep(rt.sw.timing.playbackMs, signal);
  const ms = signal.aborted ? Date.now() - started : rt.sw.timing.playbackMs;
  playbackVars(rt.ch, ms);
  rt.channelEvent('PLAYBACK_STOP', {
    after: [...fileHeaders, ['Playback-Status', signal.aborted ? 'break' : 'done']],
  });
  return !signal.aborted;
}

/** Runs one dialplan application on the channel, firing what FreeSWITCH fires while it runs. */
export async function runApp(rt: AppRuntime, req: ExecRequest, signal: AbortSignal): Promise<void> {
  const v = rt.ch.vars;
  switch (req.app) {
    case 'answer':
      rt.answer();
      return;
    case 'playback': {
      const ok = await play(rt, req.data, signal);
      v.set('current_application_response', ok ? 'FILE PLAYED' : 'PLAYBACK ERROR');
      return;
    }
    case 'play_and_get_digits':
      await playAndGetDigits(rt, req.data, signal);
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
      rt.beginHangup(req.data || 'NORMAL_CLEARING');
      return;
    case 'record':
      await recordApp(rt, req.data, signal);
      return;
    case 'record_session':
      rt.startRecordSession(req.data.split(' ')[0] ?? req.data);
      return;
    case 'bridge':
      await bridge(rt, req.data, signal);
      return;
    case 'transfer': {
      const [dest] = req.data.split(' ');
      rt.ch.profile = {
        ...rt.ch.profile,
        destinationNumber: dest ?? rt.ch.profile.destinationNumber,
      };
      rt.ch.times.bridged = rt.ch.times.bridged || 0;
      return;
    }
    case 'park':
      return;
    default:
      // FreeSWITCH logs "Invalid Application" and the execute completes with no response.
      return;
  }
}

async function playAndGetDigits(rt: AppRuntime, data: string, signal: AbortSignal): Promise<void> {
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
  const v = rt.ch.vars;
  let result: 'success' | 'timeout' | 'failure' = 'timeout';
  for (let t = 0; t < tries && !signal.aborted; t++) {
    await play(rt, file, signal);
    let digits = '';
    let first = true;
    while (!signal.aborted && digits.length < max) {
      const d = await rt.nextDigit(first ? timeout : digitTimeout, signal);
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

/** The variables a finished recording leaves (record_seconds, record_ms, record_samples). */
export function recordVars(ch: Channel, ms: number): void {
  const v = ch.vars;
  v.set('record_seconds', String(Math.floor(ms / 1000)));
  v.set('record_ms', String(ms));
  v.set('record_samples', String(Math.round(ms * 8)));
}

async function bridge(rt: AppRuntime, data: string, signal: AbortSignal): Promise<void> {
  const m = /^user\/([^@]+)@(.+)$/.exec(data.trim());
  const reg = m ? rt.sw.findRegistration(m[1] ?? '', m[2] ?? '') : undefined;
  if (!m || !reg) {
    rt.ch.vars.set('originate_disposition', 'USER_NOT_REGISTERED');
    rt.ch.vars.set('current_application_response', undefined);
    return;
  }
  const b = rt.newLeg({
    direction: 'outbound',
    username: rt.ch.profile.username,
    callerIdName: rt.ch.vars.get('effective_caller_id_name') ?? rt.ch.profile.callerIdName,
    callerIdNumber: rt.ch.vars.get('effective_caller_id_number') ?? rt.ch.profile.callerIdNumber,
    origCallerIdName: rt.ch.profile.callerIdName,
    calleeIdName: 'Outbound Call',
    calleeIdNumber: reg.user,
    networkAddr: reg.networkIp,
    destinationNumber: reg.user,
    context: rt.ch.profile.context,
    channelName: `sofia/${reg.profile}/${reg.user}@${reg.contactHost}:${reg.contactPort}`,
  });
  b.ch.hitDialplan = false;
  b.ch.callUuid = rt.ch.uuid;
  b.ch.vars.set('direction', 'outbound');
  b.ch.vars.set('is_outbound', 'true');
  b.ch.vars.set('uuid', b.uuid);
  b.ch.vars.set('session_id', String(rt.sw.nextSessionId()));
  b.ch.vars.set('channel_name', b.ch.profile.channelName);
  b.ch.vars.set('originator', rt.ch.uuid);
  b.ch.vars.set('dialed_user', reg.user);
  b.ch.vars.set('dialed_domain', reg.domain);
  b.ch.otherLeg = { type: 'originator', channel: rt.ch };
  rt.ch.otherLeg = { type: 'originatee', channel: b.ch };
  rt.ch.profile = { ...rt.ch.profile, calleeIdName: 'Outbound Call', calleeIdNumber: reg.user };
  b.start();
  await sleep(rt.sw.timing.bridgeAnswerMs, signal);
  if (signal.aborted || !rt.isUp) {
    b.beginHangup('ORIGINATOR_CANCEL');
    b.finishHangup();
    return;
  }
  b.answer();
  b.ch.setState('CS_EXCHANGE_MEDIA');
  rt.answer();
  const now = rt.sw.factory.nowUs();
  rt.ch.times.bridged = now;
  b.ch.times.bridged = now;
  rt.ch.vars.set('bridge_uuid', b.uuid);
  b.ch.vars.set('bridge_uuid', rt.ch.uuid);
  rt.channelEvent('CHANNEL_BRIDGE', {
    before: [
      ['Bridge-A-Unique-ID', rt.uuid],
      ['Bridge-B-Unique-ID', b.uuid],
    ],
  });
  // The bridge lasts until either leg hangs up; the other leg follows.
  await Promise.race([b.done, new Promise<void>((r) => signal.addEventListener('abort', () => r()))]);
  if (b.isUp) b.beginHangup(rt.ch.hangupCause ?? 'NORMAL_CLEARING');
  rt.channelEvent('CHANNEL_UNBRIDGE', {
    before: [
      ['Bridge-A-Unique-ID', rt.uuid],
      ['Bridge-B-Unique-ID', b.uuid],
    ],
  });
  b.finishHangup();
  if (rt.isUp) rt.beginHangup(b.ch.hangupCause ?? 'NORMAL_CLEARING');
}
