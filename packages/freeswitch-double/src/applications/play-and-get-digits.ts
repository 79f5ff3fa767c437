// `play_and_get_digits <min> <max> <tries> <timeout> <terminators> <file> <invalid_file> <var> <regexp> <digit_timeout>`.
import { play } from './playback.js';
import type { AppHandler } from './types.js';

export const playAndGetDigits: AppHandler = async (rt, req, signal) => {
  const a = req.data.split(' ');
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
};
