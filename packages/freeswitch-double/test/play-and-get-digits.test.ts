// play_and_get_digits as src/switch_ivr_play_say.c runs it, with scripted callers (no timing in the assertions).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { double, exec, names, parkedCall } from './helpers.js';

const PAGD = (o: { tries?: number; regex?: string; transfer?: string; max?: number } = {}) =>
  `1 ${o.max ?? 1} ${o.tries ?? 3} 5000 # menu.wav invalid.wav choice ${o.regex ?? '\\d'} 3000${o.transfer ? ` '${o.transfer}'` : ''}`;

void test('a digit pressed during the prompt stops it and is the answer', async (t) => {
  const fs = await double(t);
  const { call, events } = parkedCall(fs);
  call.pressOn('play_and_get_digits', '2');
  const done = await exec(fs, call, 'play_and_get_digits', PAGD());
  assert.equal(done?.get('Application-Response'), '_none_');
  assert.equal(call.channel.vars.get('choice'), '2');
  assert.equal(call.channel.vars.get('read_result'), 'success');
  assert.deepEqual(call.played, ['menu.wav']);
  assert.deepEqual(names(events, 'PLAYBACK_START', 'DTMF', 'PLAYBACK_STOP'), [
    'PLAYBACK_START',
    'DTMF',
    'PLAYBACK_STOP',
  ]);
  assert.equal(events.find((e) => e.name === 'PLAYBACK_STOP')?.get('Playback-Status'), 'break');
});

// switch_ivr_read turns a time-out with fewer than <min> digits into TOO_SMALL, so read_result is "failure".
void test('no input: prompt and invalid_file each try, then read_result failure and no variable', async (t) => {
  const fs = await double(t);
  const { call } = parkedCall(fs);
  await exec(fs, call, 'play_and_get_digits', PAGD({ tries: 3 }));
  assert.deepEqual(call.played, [
    'menu.wav',
    'invalid.wav',
    'menu.wav',
    'invalid.wav',
    'menu.wav',
    'invalid.wav',
  ]);
  assert.equal(call.channel.vars.get('read_result'), 'failure');
  assert.equal(call.channel.vars.get('choice'), undefined);
});

void test('input that fails the regexp is <var>_invalid; a later try succeeds', async (t) => {
  const fs = await double(t);
  const { call } = parkedCall(fs);
  // 7 during the first prompt; 3 during the second (the invalid_file plays in between).
  call.pressOn('play_and_get_digits', '7');
  call.pressOnPlayback('menu.wav', '3', 2);
  await exec(fs, call, 'play_and_get_digits', PAGD({ regex: '^[1-3]$' }));
  assert.equal(call.channel.vars.get('choice'), '3');
  assert.equal(call.channel.vars.get('choice_invalid'), '7');
  assert.deepEqual(call.played, ['menu.wav', 'invalid.wav', 'menu.wav']);
});

void test('several digits end with the terminator: read_terminator_used, the # is not part of the answer', async (t) => {
  const fs = await double(t);
  const { call } = parkedCall(fs);
  call.pressOn('play_and_get_digits', '1234#');
  await exec(fs, call, 'play_and_get_digits', PAGD({ max: 6, regex: '^\\d+$' }));
  assert.equal(call.channel.vars.get('choice'), '1234');
  assert.equal(call.channel.vars.get('read_terminator_used'), '#');
  assert.equal(call.channel.vars.get('read_result'), 'success');
});

void test('tries exhausted with transfer_on_failure: the call is transferred', async (t) => {
  const fs = await double(t);
  const { call } = parkedCall(fs);
  await exec(fs, call, 'play_and_get_digits', PAGD({ tries: 1, transfer: '9000 XML fallback' }));
  assert.equal(call.channel.profile.destinationNumber, '9000');
  assert.equal(call.channel.profile.context, 'fallback');
});

void test('a missing prompt (media.checkFiles) plays nothing and leaves read_result unset', async (t) => {
  const fs = await double(t);
  fs.media.checkFiles = true;
  const { call, events } = parkedCall(fs);
  await exec(
    fs,
    call,
    'play_and_get_digits',
    '1 1 2 5000 # /nonexistent/menu.wav /nonexistent/bad.wav choice',
  );
  assert.deepEqual(names(events, 'PLAYBACK_START'), []);
  assert.equal(call.channel.vars.get('read_result'), undefined);
});

void test('the caller hangs up mid-prompt: the app completes, the call ends', async (t) => {
  const fs = await double(t);
  const { call, events } = parkedCall(fs);
  call.hangupOn('play_and_get_digits');
  await exec(fs, call, 'play_and_get_digits', PAGD());
  await call.ended;
  const order = names(events, 'CHANNEL_HANGUP', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP_COMPLETE');
  assert.deepEqual(order.slice(-3), [
    'CHANNEL_HANGUP',
    'CHANNEL_EXECUTE_COMPLETE',
    'CHANNEL_HANGUP_COMPLETE',
  ]);
  await assert.rejects(call.waitForApp('record'), /ended before record started/);
});
