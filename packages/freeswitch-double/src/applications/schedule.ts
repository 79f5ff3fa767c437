// `sched_hangup` and the `execute_on_answer` variable that runs it when the call is answered.
// mod_dptools.c (sched_hangup_function): data `[+]<sec> [<cause>] [bleg]`; `+<sec>` counts from now, a bare number
// is an epoch time; the cause defaults to ALLOTTED_TIMEOUT; `+0` hangs up at once, anything else is handed to the
// scheduler (switch_ivr_schedule_hangup), so the app itself returns at once. switch_channel.c
// (switch_channel_execute_on) runs each `execute_on_answer` value as `<app> <data>` when the channel is answered.
import type { AppHandler, AppRuntime } from './types.js';

export const schedHangup: AppHandler = (rt, req) => {
  const [when = '', cause = 'ALLOTTED_TIMEOUT'] = req.data.split(' ');
  if (!when) return;
  const sec = when.startsWith('+')
    ? Number(when.slice(1)) || 0
    : Math.max(0, (Number(when) || 0) - Math.floor(Date.now() / 1000));
  if (sec === 0) return rt.beginHangup(cause);
  const timer = setTimeout(() => {
    if (rt.isUp) rt.hangup(cause);
  }, sec * 1000);
  // A scheduled task of a channel that is gone does nothing (the session is no longer found).
  void rt.done.then(() => clearTimeout(timer));
};

/** What `execute_on_answer` asks for when the channel is answered (only the apps of this file are modelled). */
export function executeOnAnswer(rt: AppRuntime): void {
  const value = rt.ch.vars.get('execute_on_answer');
  if (!value) return;
  const at = value.indexOf(' ');
  const app = at < 0 ? value : value.slice(0, at);
  const data = at < 0 ? '' : value.slice(at + 1);
  if (app === 'sched_hangup')
    void schedHangup(rt, { app, data, appUuid: '', viaSendmsg: false }, new AbortController().signal);
}
