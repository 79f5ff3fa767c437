// What a dialplan application of the double sees: the request, the switch and the call it runs on.
import type { CallerProfile, Channel } from '../channel.js';
import type { Timing } from '../context.js';
import type { EventFactory, Header } from '../fs-event.js';
import type { Registration } from '../registrations.js';
import type { SofiaGatewayTable } from '../sofia-gateways.js';
import type { MediaOptions } from './media.js';

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
  readonly media: MediaOptions;
  nextSessionId(): number;
  findRegistration(user: string, domain: string): Registration | undefined;
  /** The sofia gateways: what an INVITE through one meets (bridge to `sofia/gateway/...`). */
  readonly trunks: Pick<SofiaGatewayTable, 'outcome' | 'gateways'>;
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
  /** Aborted by `uuid_break` (CF_BREAK) while the current application runs. */
  readonly breakSignal: AbortSignal;
  /** What the caller says into the next `record` (scripted by the test), if anything. */
  nextSpeech(): Speech | undefined;
  /** A digit from the caller, as if it arrived over RTP now. */
  press(digit: string): void;
  /** The hang-up from outside the app queue (`byCaller`: the caller's BYE). */
  hangup(cause?: string, byCaller?: boolean): void;
}

/**
 * What the caller does while a `record` runs: talks for `ms`, then presses a digit, goes quiet, hangs up,
 * or keeps talking (until max_sec, uuid_break or the controller's hang-up).
 */
export interface Speech {
  ms: number;
  then: 'silence' | 'hangup' | 'talk' | { press: string };
}

/** One dialplan application: runs until done or until `signal` aborts (hang-up, break). */
export type AppHandler = (rt: AppRuntime, req: ExecRequest, signal: AbortSignal) => Promise<void> | void;

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
