// record as mod_dptools.c / src/switch_ivr_play_say.c run it, with a scripted caller and a real audio file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { double, exec, names, parkedCall, tempDir } from './helpers.js';

const samplesOf = (path: string) => Number(execFileSync('soxi', ['-s', path]).toString().trim());

void test('the caller talks 3.2 s and presses #: record_ms 3200, a 3.2 s WAV, playback_terminator_used', async (t) => {
  const fs = await double(t);
  const { call, events } = parkedCall(fs);
  const path = join(tempDir(), 'msg.wav');
  await exec(fs, call, 'set', 'playback_terminators=#');
  call.says({ ms: 3200, then: { press: '#' } });
  await exec(fs, call, 'record', `${path} 120 200 3`);
  const v = call.channel.vars;
  assert.equal(v.get('record_ms'), '3200');
  assert.equal(v.get('record_seconds'), '3');
  assert.equal(v.get('record_samples'), '25600');
  assert.equal(v.get('playback_terminator_used'), '#');
  assert.equal(v.get('silence_hits_exhausted'), 'false');
  assert.equal(samplesOf(path), 25600);
  assert.equal(execFileSync('soxi', ['-r', path]).toString().trim(), '8000');
  assert.deepEqual(names(events, 'RECORD_START', 'DTMF', 'RECORD_STOP'), [
    'RECORD_START',
    'DTMF',
    'RECORD_STOP',
  ]);
});

void test('the default terminator is * (on_dtmf): # is eaten, then silence ends it after silence_hits seconds', async (t) => {
  const fs = await double(t);
  const { call } = parkedCall(fs);
  const path = join(tempDir(), 'msg.wav');
  call.says({ ms: 2000, then: { press: '#' } });
  await exec(fs, call, 'record', `${path} 120 200 4`);
  const v = call.channel.vars;
  assert.equal(v.get('record_ms'), '6000');
  assert.equal(v.get('playback_terminator_used'), undefined);
  assert.equal(v.get('silence_hits_exhausted'), 'true');
  assert.equal(samplesOf(path), 48000);
});

void test('max_sec caps the recording', async (t) => {
  const fs = await double(t);
  const { call } = parkedCall(fs);
  const path = join(tempDir(), 'msg.wav');
  call.says({ ms: 90_000, then: 'talk' });
  await exec(fs, call, 'record', `${path} 5`);
  assert.equal(call.channel.vars.get('record_ms'), '5000');
  assert.equal(samplesOf(path), 40000);
});

void test('a caller who hangs up mid-recording keeps the file; RECORD_STOP follows CHANNEL_HANGUP', async (t) => {
  const fs = await double(t);
  const { call, events } = parkedCall(fs);
  const path = join(tempDir(), 'msg.wav');
  call.says({ ms: 4500, then: 'hangup' });
  await exec(fs, call, 'record', `${path} 120 200 3`);
  await call.ended;
  assert.equal(call.channel.vars.get('record_ms'), '4500');
  assert.equal(samplesOf(path), 36000);
  const order = names(
    events,
    'CHANNEL_HANGUP',
    'RECORD_STOP',
    'CHANNEL_EXECUTE_COMPLETE',
    'CHANNEL_HANGUP_COMPLETE',
  );
  assert.deepEqual(order.slice(-4), [
    'CHANNEL_HANGUP',
    'RECORD_STOP',
    'CHANNEL_EXECUTE_COMPLETE',
    'CHANNEL_HANGUP_COMPLETE',
  ]);
});

void test('uuid_break ends a recording the caller keeps talking into', async (t) => {
  const fs = await double(t);
  const { call } = parkedCall(fs);
  const path = join(tempDir(), 'msg.wav');
  call.says({ ms: 1000, then: 'talk' });
  call.onApp('record', () => {
    assert.equal(fs.runApi(`uuid_break ${call.uuid}`).body, '+OK\n');
    fs.runApi(`uuid_break ${call.uuid}`).after?.();
  });
  await exec(fs, call, 'record', path);
  assert.ok(Number(call.channel.vars.get('record_ms')) >= 1000);
  assert.equal(samplesOf(path), Number(call.channel.vars.get('record_samples')));
  assert.equal(fs.runApi('uuid_break nope').body, '-ERR No such channel!\n');
});

void test('a directory that does not exist: no RECORD_START, the call hangs up DESTINATION_OUT_OF_ORDER', async (t) => {
  const fs = await double(t);
  const { call, events } = parkedCall(fs);
  const path = join(tempDir(), 'missing', 'msg.wav');
  await exec(fs, call, 'record', path);
  await call.ended;
  assert.equal(existsSync(path), false);
  assert.deepEqual(names(events, 'RECORD_START'), []);
  assert.equal(call.channel.hangupCause, 'DESTINATION_OUT_OF_ORDER');
});
