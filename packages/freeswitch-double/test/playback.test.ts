// playback, sleep and the scripted-caller API (mod_dptools.c playback_function / on_dtmf, switch_ivr_play_file).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { double, exec, names, parkedCall, tempDir } from './helpers.js';

void test('a missing file with media.checkFiles: FILE NOT FOUND and no PLAYBACK_START', async (t) => {
  const fs = await double(t);
  fs.media.checkFiles = true;
  const dir = tempDir();
  writeFileSync(join(dir, 'there.wav'), '');
  const { call, events } = parkedCall(fs);
  const missing = await exec(fs, call, 'playback', join(dir, 'gone.wav'));
  assert.equal(missing?.get('Application-Response'), 'FILE NOT FOUND');
  const found = await exec(fs, call, 'playback', join(dir, 'there.wav'));
  assert.equal(found?.get('Application-Response'), 'FILE PLAYED');
  const stream = await exec(fs, call, 'playback', 'tone_stream://%(100,0,800)');
  assert.equal(stream?.get('Application-Response'), 'FILE PLAYED');
  assert.equal(names(events, 'PLAYBACK_START').length, 2);
  // A relative path is looked up under sound_prefix.
  await exec(fs, call, 'set', `sound_prefix=${dir}`);
  assert.equal((await exec(fs, call, 'playback', 'there.wav'))?.get('Application-Response'), 'FILE PLAYED');
});

void test('playback stops on a playback_terminators digit (default *) and eats the others', async (t) => {
  const fs = await double(t);
  const { call, events } = parkedCall(fs);
  call.pressOn('playback', '1*');
  const done = await exec(fs, call, 'playback', 'greeting.wav');
  assert.equal(done?.get('Application-Response'), 'FILE PLAYED');
  assert.equal(call.channel.vars.get('playback_terminator_used'), '*');
  assert.equal(names(events, 'DTMF').length, 2);
  assert.equal(events.find((e) => e.name === 'PLAYBACK_STOP')?.get('Playback-Status'), 'break');
});

void test('uuid_break stops a playback and a sleep', async (t) => {
  const fs = await double(t);
  fs.timing.playbackMs = 60_000;
  const { call } = parkedCall(fs);
  call.onApp(
    (a) => a.app === 'playback' || a.app === 'sleep',
    () => fs.runApi(`uuid_break ${call.uuid}`).after?.(),
  );
  assert.equal((await exec(fs, call, 'playback', 'long.wav'))?.get('Application-Response'), 'FILE PLAYED');
  await exec(fs, call, 'sleep', '60000');
});

void test('scripted callers: apps and played in order, waitForApp with nth, hangupOn the Nth application', async (t) => {
  const fs = await double(t);
  const { call } = parkedCall(fs);
  call.hangupOn((a) => a.app === 'playback' && a.nth === 3);
  const second = call.waitForApp('playback', (a) => a.nth === 2);
  await exec(fs, call, 'playback', 'a.wav');
  await exec(fs, call, 'playback', 'b.wav');
  assert.equal((await second).data, 'b.wav');
  await exec(fs, call, 'playback', 'c.wav');
  await call.ended;
  assert.deepEqual(call.played, ['a.wav', 'b.wav', 'c.wav']);
  assert.deepEqual(
    call.apps.map((a) => `${a.app}:${a.nth}`),
    ['answer:1', 'playback:1', 'playback:2', 'playback:3'],
  );
});
