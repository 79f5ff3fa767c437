// `record <path> [<max_sec> [<silence_thresh> [<silence_hits>]]]`, modelled on mod_dptools.c record_function and
// src/switch_ivr_play_say.c switch_ivr_record_file:
// - playback_terminator_used is cleared, then set by on_dtmf when a `playback_terminators` digit (default `*`)
//   stops the recording; other digits are consumed and ignored;
// - a directory that cannot be written hangs the call up (DESTINATION_OUT_OF_ORDER) with no RECORD_START;
// - silence ends it only with a threshold: after <silence_hits> seconds (default 3) of silence, with
//   silence_hits_exhausted=true; max_sec ends it; uuid_break ends it;
// - a caller who hangs up keeps the file: it is closed, record_* are set and RECORD_STOP fires after the
//   CHANNEL_HANGUP.
// The recording is a real 8 kHz WAV (sox) whose length is exactly record_samples. Time is virtual: a scripted
// caller's 30 s message completes at once with record_ms=30000.
import type { Channel } from '../channel.js';
import { atoi, separateArgs } from './args.js';
import { localPath, writable, writeRecording } from './media.js';
import { playbackTerminators } from './playback.js';
import type { AppHandler, AppRuntime, Speech } from './types.js';

interface Outcome {
  /** Length of the recording in ms, or undefined while the caller keeps talking (no limit, no silence end). */
  endMs: number | undefined;
  speechMs: number;
  terminator?: string;
  silenceEnded?: boolean;
  callerHangsUp?: boolean;
}

function outcome(rt: AppRuntime, s: Speech, limitMs: number, threshold: number, hitsSec: number): Outcome {
  const o: Outcome = { endMs: undefined, speechMs: s.ms };
  const then = s.then;
  if (then === 'hangup') {
    o.endMs = s.ms;
    o.callerHangsUp = true;
  } else if (typeof then === 'object' && playbackTerminators(rt.ch).includes(then.press)) {
    o.endMs = s.ms;
    o.terminator = then.press;
  } else if (then !== 'talk' && threshold > 0) {
    // A non-terminator digit is eaten by on_dtmf and the caller goes quiet.
    o.endMs = s.ms + hitsSec * 1000;
    o.silenceEnded = true;
  }
  if (o.endMs === undefined || o.endMs > limitMs) {
    if (limitMs !== Infinity) return { endMs: limitMs, speechMs: Math.min(s.ms, limitMs) };
  }
  return o;
}

export const record: AppHandler = async (rt, req, signal) => {
  const a = separateArgs(req.data);
  const file = a[0] ?? '';
  const limitSec = atoi((a[1] ?? '').replace(/^\+/, ''));
  const threshold = atoi(a[2]);
  const hitsSec = atoi(a[3]) || 3;
  const v = rt.ch.vars;
  v.unset('playback_terminator_used');
  const path = localPath(rt.ch, rt.sw.media, file) ?? file;
  if (!writable(path)) {
    rt.hangup('DESTINATION_OUT_OF_ORDER');
    return;
  }
  v.set('silence_hits_exhausted', 'false');
  rt.channelEvent('RECORD_START', { after: [['Record-File-Path', path]] });
  const speech = rt.nextSpeech() ?? { ms: rt.sw.timing.recordMs, then: 'silence' };
  const o = outcome(rt, speech, limitSec > 0 ? limitSec * 1000 : Infinity, threshold, hitsSec);
  const started = Date.now();
  if (typeof speech.then === 'object') {
    // The digit reaches the channel and on_dtmf consumes it (a DTMF event either way).
    rt.press(speech.then.press);
    await rt.nextDigit(0, signal);
    if (o.terminator) v.set('playback_terminator_used', o.terminator);
  }
  if (o.callerHangsUp) rt.hangup('NORMAL_CLEARING', true);
  let endMs = o.endMs;
  let speechMs = o.speechMs;
  if (endMs === undefined) {
    // The caller keeps talking (or is silent with no threshold): only uuid_break or a hang-up ends it.
    const stop = AbortSignal.any([signal, rt.breakSignal]);
    if (!stop.aborted) await new Promise((r) => stop.addEventListener('abort', r, { once: true }));
    endMs = speech.ms + (Date.now() - started);
    speechMs = speech.then === 'talk' ? endMs : speech.ms;
  } else {
    await new Promise((r) => setImmediate(r));
  }
  const samples = endMs * 8;
  const speechSamples = Math.min(samples, speechMs * 8);
  await writeRecording(path, speechSamples, samples - speechSamples);
  if (o.silenceEnded) v.set('silence_hits_exhausted', 'true');
  recordVars(rt.ch, samples);
  rt.channelEvent('RECORD_STOP', { after: [['Record-File-Path', path]] });
};

export const recordSession: AppHandler = (rt, req) => {
  rt.startRecordSession(req.data.split(' ')[0] ?? req.data);
};

/** The variables a finished recording leaves, from its sample count at 8 kHz (record_seconds, record_ms, record_samples). */
export function recordVars(ch: Channel, samples: number): void {
  const v = ch.vars;
  v.set('record_seconds', String(Math.floor(samples / 8000)));
  v.set('record_ms', String(Math.floor(samples / 8)));
  v.set('record_samples', String(samples));
}
