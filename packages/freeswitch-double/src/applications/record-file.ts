// The `record` application as mod_dptools runs it (src/mod/applications/mod_dptools/mod_dptools.c,
// record_function → switch_ivr_record_file in src/switch_ivr_play_say.c): `record <path> [<limit_s>] [<silence_thresh>
// <silence_hits>]`. It writes the file while the caller talks and stops at the time limit, at a terminator digit
// (the `playback_terminators` variable; mod_dptools' on_dtmf defaults to `*`, `none` disables them; the digit used
// lands in `playback_terminator_used`) or at hang-up, keeping what was recorded. RECORD_START / RECORD_STOP carry
// `Record-File-Path`, and `record_seconds` / `record_ms` / `record_samples` are set just before RECORD_STOP
// (facts.md §8). A file that cannot be opened hangs the channel up with DESTINATION_OUT_OF_ORDER (mod_dptools.c).
// The double has no media: the file is a real WAV (8 kHz, 16-bit mono) of silence as long as the recording, and
// silence detection is not modelled.
import { writeFileSync } from 'node:fs';
import { recordVars } from './record.js';
import { sleep, type AppHandler } from './types.js';

const RATE = 8000;

function silentWav(ms: number): Buffer {
  const data = Math.round((ms / 1000) * RATE) * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVEfmt ', 8, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(RATE, 24);
  b.writeUInt32LE(RATE * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(data, 40);
  return b;
}

function write(path: string, ms: number): boolean {
  try {
    writeFileSync(path, silentWav(ms));
    return true;
  } catch {
    return false;
  }
}

export const recordFile: AppHandler = async (rt, req, signal) => {
  const [path = '', limit] = req.data.trim().split(/\s+/);
  const v = rt.ch.vars;
  if (!write(path, 0)) {
    rt.beginHangup('DESTINATION_OUT_OF_ORDER');
    return;
  }
  const set = v.get('playback_terminators');
  const terminators = set === undefined ? '*' : set.toLowerCase() === 'none' ? '' : set;
  rt.channelEvent('RECORD_START', { after: [['Record-File-Path', path]] });
  const started = Date.now();
  const limitMs = limit && Number(limit) > 0 ? Number(limit) * 1000 : rt.sw.timing.recordMs;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort);
  const timer = sleep(limitMs, stop.signal).then(() => stop.abort());
  while (!stop.signal.aborted) {
    const d = await rt.nextDigit(limitMs, stop.signal);
    if (d !== undefined && terminators.includes(d)) {
      v.set('playback_terminator_used', d);
      stop.abort();
    }
  }
  await timer;
  signal.removeEventListener('abort', onAbort);
  const ms = Math.min(Date.now() - started, limitMs);
  write(path, ms);
  recordVars(rt.ch, ms);
  rt.channelEvent('RECORD_STOP', { after: [['Record-File-Path', path]] });
};
