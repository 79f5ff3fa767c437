// The dialplan applications the double runs, firing the events FreeSWITCH fires while each runs
// (captures esl-outbound-conn1/conn2). One file per application (or small group); add an app by adding
// its file and one line to APPS.
import { answer, exportApp, hangup, park, set, sleepApp, transfer } from './basic.js';
import { bridge } from './bridge.js';
import { playAndGetDigits } from './play-and-get-digits.js';
import { playback } from './playback.js';
import { record, recordSession } from './record.js';
import { schedHangup } from './schedule.js';
import type { AppHandler, AppRuntime, ExecRequest } from './types.js';

export type { AppHandler, AppRuntime, AppSwitch, ExecRequest } from './types.js';
export { recordVars } from './record.js';
export { executeOnAnswer } from './schedule.js';

const APPS: ReadonlyMap<string, AppHandler> = new Map<string, AppHandler>([
  ['answer', answer],
  ['playback', playback],
  ['play_and_get_digits', playAndGetDigits],
  ['sleep', sleepApp],
  ['set', set],
  ['export', exportApp],
  ['hangup', hangup],
  ['record', record],
  ['record_session', recordSession],
  ['bridge', bridge],
  ['transfer', transfer],
  ['park', park],
  ['sched_hangup', schedHangup],
]);

/** Runs one dialplan application on the channel, firing what FreeSWITCH fires while it runs. */
export async function runApp(rt: AppRuntime, req: ExecRequest, signal: AbortSignal): Promise<void> {
  // An unknown app: FreeSWITCH logs "Invalid Application" and the execute completes with no response.
  await APPS.get(req.app)?.(rt, req, signal);
}
