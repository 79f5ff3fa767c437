// One menu, as the caller meets it: the greeting, their keys, the configured messages and retries, until the
// keys name something (an option, an extension, "back") or the retries run out.
import type { IvrCallMenu } from '@pbx/domain';
import type { StoredDestination } from '@pbx/domain/routing';
import type { OutboundCall } from '@pbx/esl';
import type { CallSession } from '../outbound/session.js';
import { greetingOf, type Readable } from './menu-media.js';

/** Plays the menu again; an option configured on `*` wins over it. */
export const REPEAT_KEY = '*';
/** In a menu reached from another menu: back to that one (unless the menu has an option on `#`). */
export const BACK_KEY = '#';
/** Repeats that do not count as failures; a caller holding the line with `*` is then treated as not choosing. */
const MAX_FREE_REPEATS = 10;
const DIGITS_VAR = 'pbx_ivr_digits';

export type Choice =
  | { kind: 'option'; destination: StoredDestination }
  | { kind: 'direct'; number: string }
  | { kind: 'back' }
  | { kind: 'failed'; reason: 'timeout' | 'invalid'; destination: StoredDestination }
  | { kind: 'gone' };

export async function collectChoice(
  call: OutboundCall,
  ctx: CallSession,
  menu: IvrCallMenu,
  o: { canGoBack: boolean; readable: Readable },
): Promise<Choice> {
  const options = new Map(menu.options.map((x) => [x.digits, x.destination]));
  const backKey = o.canGoBack && !options.has(BACK_KEY);
  const extensions = menu.directDial
    ? new Set(ctx.tenant.extensions.filter((e) => e.enabled).map((e) => e.number))
    : new Set<string>();
  let max = 1;
  for (const d of options.keys()) max = Math.max(max, d.length);
  for (const n of extensions) max = Math.max(max, n.length);
  // `#` ends the input early, unless it is itself a choice here.
  const terminators = options.has(BACK_KEY) || backKey ? 'none' : BACK_KEY;
  let failures = 0;
  let repeats = 0;
  for (;;) {
    const r = await call.playAndGetDigits({
      min: 1,
      max,
      // Retries are counted here, so that time-outs and invalid keys each get their own message and destination.
      tries: 1,
      timeoutMs: menu.timeoutSec * 1000,
      terminators,
      file: await greetingOf(ctx, menu, o.readable),
      invalidFile: 'silence_stream://250',
      variable: DIGITS_VAR,
      regexp: '[0-9*#]+',
      digitTimeoutMs: menu.interDigitTimeoutMs,
    });
    if (call.hasEnded) return { kind: 'gone' };
    // FreeSWITCH clears the variable at the start of each read (switch_ivr_read), and leaves read_result at
    // "timeout" when fewer than the maximum digits were pressed and the inter-digit time ran out: those keys
    // count. "failure" is no input at all.
    const digits = r.result === 'success' || r.result === 'timeout' ? r.digits : '';
    const destination = options.get(digits);
    if (destination) return { kind: 'option', destination };
    if (digits === REPEAT_KEY && ++repeats <= MAX_FREE_REPEATS && !ctx.draining.aborted) continue;
    if (backKey && digits === BACK_KEY) return { kind: 'back' };
    if (extensions.has(digits)) return { kind: 'direct', number: digits };
    const reason = digits === '' ? 'timeout' : 'invalid';
    failures++;
    // Stopping the controller: no new round of prompts, the caller goes where a failure leads.
    if (failures >= menu.maxFailures || ctx.draining.aborted)
      return { kind: 'failed', reason, destination: reason === 'timeout' ? menu.timeout : menu.invalid };
    await call.playback(ctx.media.prompt(reason === 'timeout' ? 'ivr-no-input' : 'ivr-invalid'));
    if (call.hasEnded) return { kind: 'gone' };
  }
}
