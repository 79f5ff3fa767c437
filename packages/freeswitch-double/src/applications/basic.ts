// The small applications: answer, set, hangup, sleep, transfer, park.
import { sleep, type AppHandler, type AppRuntime } from './types.js';

export const answer: AppHandler = (rt) => rt.answer();

export const set: AppHandler = (rt, req) => {
  const at = req.data.indexOf('=');
  if (at > 0) rt.ch.vars.set(req.data.slice(0, at), req.data.slice(at + 1));
};

/**
 * `export <name>=<value>` (mod_dptools export_function → switch_channel_export_variable_var_check in
 * switch_channel.c): sets the variable on the channel and appends its name to `export_vars`. FreeSWITCH copies
 * those to the B legs of a bridge; the double does not, nor `nolocal:` names.
 */
export const exportApp: AppHandler = (rt, req) => {
  const at = req.data.indexOf('=');
  if (at <= 0) return;
  const name = req.data.slice(0, at);
  rt.ch.vars.set(name, req.data.slice(at + 1));
  const exports = rt.ch.vars.get('export_vars');
  rt.ch.vars.set('export_vars', exports ? `${exports},${name}` : name);
};

export const hangup: AppHandler = (rt, req) => rt.beginHangup(req.data || 'NORMAL_CLEARING');

/**
 * `sleep <ms>` (mod_dptools.c sleep_function → switch_ivr_sleep): digits stay queued for the next app (unless
 * `sleep_eat_digits`), and `uuid_break` ends it early.
 */
export const sleepApp: AppHandler = (rt, req, signal) =>
  sleep(Number(req.data) || 0, AbortSignal.any([signal, rt.breakSignal]));

/** The double has no dialplan: a transfer only changes the destination (and context) of the caller profile. */
export function transferTo(rt: AppRuntime, dest: string, _dialplan?: string, context?: string): void {
  rt.ch.profile = {
    ...rt.ch.profile,
    destinationNumber: dest || rt.ch.profile.destinationNumber,
    context: context || rt.ch.profile.context,
  };
  rt.ch.times.bridged = rt.ch.times.bridged || 0;
}

/** `transfer <dest> [<dialplan> [<context>]]`. */
export const transfer: AppHandler = (rt, req) => {
  const [dest = '', dialplan, context] = req.data.split(' ');
  transferTo(rt, dest, dialplan, context);
};

export const park: AppHandler = () => undefined;
