// sched_hangup and execute_on_answer (mod_dptools.c sched_hangup_function, switch_channel.c execute_on): what the
// controller's dialplan uses to end an answered external call after the fraud policy's maximum length.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { double, exec, type Seen } from './helpers.js';

const hangupCause = (events: Seen[]) => events.find((e) => e.name === 'CHANNEL_HANGUP')?.get('Hangup-Cause');

void test('execute_on_answer=sched_hangup +N ends the call N seconds after the answer, cause ALLOTTED_TIMEOUT', async (t) => {
  const fs = await double(t);
  const call = fs.placeCall({ from: '1001', to: '5000' });
  const events: Seen[] = [];
  fs.runtime(call.uuid)?.taps.add((ev) => events.push({ name: ev.name, get: (h) => ev.get(h) }));
  await exec(fs, call, 'set', 'execute_on_answer=sched_hangup +1 ALLOTTED_TIMEOUT');
  // Nothing is scheduled before the answer.
  assert.equal(hangupCause(events), undefined);
  await exec(fs, call, 'answer', '');
  await call.ended;
  assert.equal(hangupCause(events), 'ALLOTTED_TIMEOUT');
});

void test('sched_hangup +0 hangs up at once, with the cause given', async (t) => {
  const fs = await double(t);
  const call = fs.placeCall({ from: '1001', to: '5000', answer: true });
  const events: Seen[] = [];
  fs.runtime(call.uuid)?.taps.add((ev) => events.push({ name: ev.name, get: (h) => ev.get(h) }));
  await exec(fs, call, 'sched_hangup', '+0 NORMAL_CLEARING');
  await call.ended;
  assert.equal(hangupCause(events), 'NORMAL_CLEARING');
});
