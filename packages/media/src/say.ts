// Numbers, dates and times as sequences of built-in prompts ("you have" "three" "new messages").
import type { PromptName } from './catalog.js';

function under1000(n: number): PromptName[] {
  const out: PromptName[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) out.push(`num-${hundreds}`, 'num-hundred');
  if (rest === 0) return out.length > 0 ? out : ['num-0'];
  if (rest < 20) out.push(`num-${rest}`);
  else {
    out.push(`num-${Math.floor(rest / 10) * 10}`);
    if (rest % 10 > 0) out.push(`num-${rest % 10}`);
  }
  return out;
}

/** A whole number from 0 to 999,999, in words. */
export function sayNumber(n: number): PromptName[] {
  if (!Number.isInteger(n) || n < 0 || n > 999_999) throw new RangeError(`cannot say ${n}`);
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  if (thousands === 0) return under1000(rest);
  return [...under1000(thousands), 'num-thousand', ...(rest > 0 ? under1000(rest) : [])];
}

/** Digit by digit, as an extension or phone number is read out. */
export function sayDigits(digits: string): PromptName[] {
  return [...digits].filter((d) => d >= '0' && d <= '9').map((d) => `num-${d}` as PromptName);
}

function parts(date: Date, timeZone: string) {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday ?? '');
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    weekday,
    hour: Number(p.hour),
    minute: Number(p.minute),
  };
}

/** "today at three forty-five P M", "yesterday at …", or "Monday, December four at …", in the tenant's time zone. */
export function sayDateTime(date: Date, timeZone: string, now: Date = new Date()): PromptName[] {
  const d = parts(date, timeZone);
  const today = parts(now, timeZone);
  const yesterday = parts(new Date(now.getTime() - 86_400_000), timeZone);
  const same = (a: typeof d, b: typeof d) => a.year === b.year && a.month === b.month && a.day === b.day;
  const day: PromptName[] = same(d, today)
    ? ['time-today']
    : same(d, yesterday)
      ? ['time-yesterday']
      : [`weekday-${d.weekday}`, `month-${d.month}`, ...sayNumber(d.day)];
  const h12 = d.hour % 12 === 0 ? 12 : d.hour % 12;
  const minute: PromptName[] =
    d.minute === 0 ? ['time-oclock'] : d.minute < 10 ? ['num-0', `num-${d.minute}`] : sayNumber(d.minute);
  return [...day, 'time-at', ...sayNumber(h12), ...minute, d.hour < 12 ? 'time-am' : 'time-pm'];
}
