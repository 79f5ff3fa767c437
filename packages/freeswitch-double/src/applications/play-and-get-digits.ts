// `play_and_get_digits <min> <max> <tries> <timeout> <terminators> <file> <invalid_file> [<var_name> [<regexp>
// [<digit_timeout> [<transfer_on_failure>]]]]`, modelled on mod_dptools.c play_and_get_digits_function (argument
// defaults) and src/switch_ivr_play_say.c switch_play_and_get_digits / switch_ivr_read (the tries loop, read_result,
// read_terminator_used, <var>_invalid, invalid_file after every failed try, transfer_on_failure).
import { atoi, separateArgs } from './args.js';
import { transferTo } from './basic.js';
import { play } from './playback.js';
import type { AppHandler, AppRuntime } from './types.js';

interface ReadArgs {
  min: number;
  max: number;
  timeout: number;
  digitTimeout: number;
  terminators: string;
  file: string;
  varName: string | undefined;
}

type ReadStatus = 'success' | 'timeout' | 'too_small' | 'notfound' | 'false';

/** switch_ivr_collect_digits_count: digits until max, a terminator, or a time-out. */
async function collect(
  rt: AppRuntime,
  a: ReadArgs,
  digits: string,
  signal: AbortSignal,
): Promise<{ status: 'success' | 'timeout' | 'false'; digits: string; terminator?: string }> {
  let first = digits.length === 0;
  while (digits.length < a.max) {
    const wait = rt.sw.timing.digitTimeoutMs ?? (first ? a.timeout : a.digitTimeout);
    const d = await rt.nextDigit(wait, signal);
    first = false;
    if (signal.aborted || !rt.isUp) return { status: 'false', digits };
    if (d === undefined) return { status: 'timeout', digits };
    if (a.terminators.includes(d)) return { status: 'success', digits, terminator: d };
    digits += d;
  }
  return { status: 'success', digits };
}

/** switch_ivr_read: one try. */
async function read(rt: AppRuntime, a: ReadArgs, signal: AbortSignal): Promise<[ReadStatus, string]> {
  const v = rt.ch.vars;
  v.unset('read_result');
  if (a.varName) v.unset(a.varName);
  let status: ReadStatus = 'success';
  let digits = '';
  end: {
    if (a.file && a.file.toLowerCase() !== 'silence') {
      const r = await play(rt, a.file, signal, 'collect');
      if (r.status === 'notfound') status = 'notfound';
      if (r.status === 'hangup') status = 'false';
      if (status !== 'success') break end;
      digits = r.digit ?? '';
    }
    if ((a.min && digits.length < a.min) || digits.length < a.max) {
      const c = await collect(rt, a, digits, signal);
      status = c.status;
      digits = c.digits;
      if (c.terminator) v.set('read_terminator_used', c.terminator);
      else if (a.terminators.startsWith('=')) status = 'too_small';
    }
    if (a.min && digits.length < a.min) status = 'too_small';
    v.set('read_result', status === 'success' ? 'success' : status === 'timeout' ? 'timeout' : 'failure');
  }
  if (a.max === 1 && digits.length === 1 && a.terminators.includes(digits)) digits = '';
  if (a.varName && digits) v.set(a.varName, digits);
  return [status, digits];
}

export const playAndGetDigits: AppHandler = async (rt, req, signal) => {
  const a = separateArgs(req.data);
  const min = Math.max(0, atoi(a[0]));
  const args: ReadArgs = {
    min,
    max: Math.max(min, atoi(a[1])),
    timeout: Math.max(1000, a.length > 3 ? atoi(a[3]) : 1000),
    digitTimeout: 0,
    terminators: a[4] || '#',
    file: a[5] ?? '',
    varName: a[7] || undefined,
  };
  args.digitTimeout = Math.max(0, atoi(a[9])) || args.timeout;
  let tries = atoi(a[2]);
  const invalidFile = a[6] ?? '';
  const regex = a[8] ? new RegExp(a[8]) : undefined;
  const transfer = a[10];
  const v = rt.ch.vars;
  if (regex && args.varName) v.unset(`${args.varName}_invalid`);
  while (rt.isUp && tries > 0) {
    const [read1, digits] = await read(rt, args, signal);
    const status = read1 === 'timeout' && digits.length >= args.min ? 'success' : read1;
    if (args.min === 0 && digits === '' && v.get('read_terminator_used') !== undefined) return;
    if (status === 'success' && digits) {
      // switch_regex_match: PCRE, unanchored.
      if (!regex || regex.test(digits)) return;
      if (args.varName) {
        v.unset(args.varName);
        v.set(`${args.varName}_invalid`, digits);
      }
    }
    if (!rt.isUp) break;
    if (invalidFile) await play(rt, invalidFile, signal, 'queue');
    tries--;
  }
  if (transfer && rt.isUp) {
    const [ext = '', dialplan, context] = transfer.split(' ');
    transferTo(rt, ext, dialplan, context);
  }
};
