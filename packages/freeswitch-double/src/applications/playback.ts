// Playing a file as switch_ivr_play_file does (src/switch_ivr_play_say.c): a missing file is NOTFOUND with no
// events; otherwise PLAYBACK_START, the file's duration (timing.playbackMs), PLAYBACK_STOP and playback_*.
// DTMF during the file depends on the caller's input args: `playback`'s on_dtmf (mod_dptools.c) consumes every
// digit and stops on a `playback_terminators` digit (default `*`, `any`, `none`); a read's prompt stops on the
// first digit and keeps it; with no args (pagd's invalid_file) digits stay queued.
import type { Channel } from '../channel.js';
import type { Header } from '../fs-event.js';
import { playable } from './media.js';
import { sleep, type AppHandler, type AppRuntime } from './types.js';

export type DigitMode = 'queue' | 'collect' | 'terminators';

export interface PlayResult {
  status: 'done' | 'break' | 'notfound' | 'hangup';
  /** The digit that stopped a `collect` prompt. */
  digit?: string;
}

function playbackVars(ch: Channel, ms: number): void {
  const samples = Math.round((ms / 1000) * 8000);
  const v = ch.vars;
  v.set('playback_last_offset_pos', String(samples));
  v.set('playback_seconds', String(Math.floor(ms / 1000)));
  v.set('playback_ms', String(ms));
  v.set('playback_samples', String(samples));
}

/** The `playback_terminators` digits on_dtmf (mod_dptools.c) stops on. */
export function playbackTerminators(ch: Channel): string {
  const t = ch.vars.get('playback_terminators') ?? '*';
  if (t.toLowerCase() === 'any') return '1234567890*#';
  if (t.toLowerCase() === 'none') return '';
  return t;
}

export async function play(
  rt: AppRuntime,
  file: string,
  signal: AbortSignal,
  mode: DigitMode = 'queue',
): Promise<PlayResult> {
  if (!file || !rt.isUp) return { status: 'hangup' };
  if (!playable(rt.ch, rt.sw.media, file)) return { status: 'notfound' };
  const type = file.includes('://') ? file.slice(0, file.indexOf('://')) : 'file';
  const fileHeaders: Header[] = [
    ['Playback-File-Type', type],
    ['Playback-File-Path', file],
  ];
  rt.channelEvent('PLAYBACK_START', { after: fileHeaders });
  const stop = AbortSignal.any([signal, rt.breakSignal]);
  const started = Date.now();
  const length = rt.sw.timing.playbackMs;
  let result: PlayResult = { status: 'done' };
  if (mode === 'queue') {
    await sleep(length, stop);
  } else {
    for (;;) {
      const left = length - (Date.now() - started);
      if (left <= 0) break;
      const d = await rt.nextDigit(left, stop);
      if (d === undefined) break;
      if (mode === 'collect') {
        result = { status: 'break', digit: d };
        break;
      }
      if (playbackTerminators(rt.ch).includes(d)) {
        rt.ch.vars.set('playback_terminator_used', d);
        result = { status: 'break' };
        break;
      }
    }
  }
  if (signal.aborted) result = { status: 'hangup' };
  else if (rt.breakSignal.aborted) result = { status: 'break' };
  const ms = result.status === 'done' ? length : Date.now() - started;
  playbackVars(rt.ch, ms);
  rt.channelEvent('PLAYBACK_STOP', {
    after: [...fileHeaders, ['Playback-Status', result.status === 'done' ? 'done' : 'break']],
  });
  return result;
}

/** `playback <file>` (mod_dptools.c playback_function): FILE PLAYED (also when stopped), FILE NOT FOUND, PLAYBACK ERROR. */
export const playback: AppHandler = async (rt, req, signal) => {
  rt.ch.vars.unset('playback_terminator_used');
  const r = await play(rt, req.data, signal, 'terminators');
  const response =
    r.status === 'notfound' ? 'FILE NOT FOUND' : r.status === 'hangup' ? 'PLAYBACK ERROR' : 'FILE PLAYED';
  rt.ch.vars.set('current_application_response', response);
};
