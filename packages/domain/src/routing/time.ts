import type { TimeConditionSnapshot } from './types.js';

export type LocalTime = { date: string; dayOfWeek: number; minute: number };

const formatters = new Map<string, Intl.DateTimeFormat>();
const DAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock date, weekday and minute of the day in a time zone (DST-aware through Intl). */
export function localTime(at: Date, timeZone: string): LocalTime {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatter(timeZone).formatToParts(at);
  } catch {
    parts = formatter('UTC').formatToParts(at);
  }
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    dayOfWeek: DAYS[get('weekday')] ?? 0,
    minute: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

export type TimeConditionVerdict = { matched: boolean; why: string; local: LocalTime };

/** Holidays first (a holiday never matches), then the weekly ranges. */
export function evaluateTimeCondition(
  tc: TimeConditionSnapshot,
  at: Date,
  timeZone: string,
): TimeConditionVerdict {
  const local = localTime(at, timeZone);
  const hhmm = `${String(Math.floor(local.minute / 60)).padStart(2, '0')}:${String(local.minute % 60).padStart(2, '0')}`;
  const stamp = `${local.date} ${hhmm} ${timeZone}`;
  if (tc.holidays.includes(local.date)) return { matched: false, why: `${stamp} is a holiday`, local };
  const open = tc.ranges.some(
    (r) => r.dayOfWeek === local.dayOfWeek && local.minute >= r.startMinute && local.minute < r.endMinute,
  );
  return { matched: open, why: `${stamp} is ${open ? 'inside' : 'outside'} the open hours`, local };
}
