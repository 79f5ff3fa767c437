import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROMPTS, mediaLayout, sayDateTime, sayDigits, sayNumber } from '../src/index.js';

test('numbers are said in words, every word a prompt of the catalogue', () => {
  assert.deepEqual(sayNumber(0), ['num-0']);
  assert.deepEqual(sayNumber(17), ['num-17']);
  assert.deepEqual(sayNumber(42), ['num-40', 'num-2']);
  assert.deepEqual(sayNumber(300), ['num-3', 'num-hundred']);
  assert.deepEqual(sayNumber(2105), ['num-2', 'num-thousand', 'num-1', 'num-hundred', 'num-5']);
  for (let n = 0; n < 2000; n += 7) for (const p of sayNumber(n)) assert.ok(p in PROMPTS, p);
  assert.throws(() => sayNumber(-1), RangeError);
  assert.deepEqual(sayDigits('1002'), ['num-1', 'num-0', 'num-0', 'num-2']);
});

test('dates and times are said in the tenant time zone', () => {
  const now = new Date('2026-12-04T15:00:00Z');
  // 14:45 UTC is 15:45 in Berlin, 08:45 in Chicago (UTC-6 in winter).
  assert.deepEqual(sayDateTime(new Date('2026-12-04T14:45:00Z'), 'Europe/Berlin', now), [
    'time-today',
    'time-at',
    'num-3',
    'num-40',
    'num-5',
    'time-pm',
  ]);
  assert.deepEqual(sayDateTime(new Date('2026-12-04T14:45:00Z'), 'America/Chicago', now).slice(-4), [
    'num-8',
    'num-40',
    'num-5',
    'time-am',
  ]);
  // 23:30 UTC on the 3rd is already the 4th in Sydney: "today" there, "yesterday" in UTC.
  const evening = new Date('2026-12-04T10:00:00Z'); // 21:00 in Sydney
  assert.equal(sayDateTime(new Date('2026-12-03T23:30:00Z'), 'Australia/Sydney', evening)[0], 'time-today');
  assert.equal(sayDateTime(new Date('2026-12-03T23:30:00Z'), 'UTC', evening)[0], 'time-yesterday');
  assert.deepEqual(sayDateTime(new Date('2026-12-03T12:00:00Z'), 'UTC', now), [
    'time-yesterday',
    'time-at',
    'num-12',
    'time-oclock',
    'time-pm',
  ]);
  assert.deepEqual(sayDateTime(new Date('2026-11-30T08:05:00Z'), 'UTC', now), [
    'weekday-1',
    'month-11',
    'num-30',
    'time-at',
    'num-8',
    'num-0',
    'num-5',
    'time-am',
  ]);
});

test('media paths stay inside the tenant directory', () => {
  const m = mediaLayout('/m');
  const t = '7c0e5e48-6f1b-4b7e-9c49-1f6f2a6c9d01';
  const b = 'a1b2c3d4-0000-4000-8000-000000000001';
  assert.equal(m.boxGreeting(t, b, 'busy'), `/m/tenants/${t}/greetings/vm-${b}-busy.wav`);
  assert.equal(m.prompt('goodbye'), '/m/prompts/en/goodbye.wav');
  assert.throws(() => m.voicemailMessage(t, '../../etc', b));
  assert.throws(() => m.tenantDir('../x'));
});
