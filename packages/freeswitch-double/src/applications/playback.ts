// `playback <file>`: PLAYBACK_START, the file's duration, PLAYBACK_STOP and the playback_* variables.
import type { Channel } from '../channel.js';
import type { Header } from '../fs-event.js';
import { sleep, type AppHandler, type AppRuntime } from './types.js';

function playbackVars(ch: Channel, ms: number): void {
  const samples = Math.round((ms / 1000) * 8000);
  const v = ch.vars;
  v.set('playback_last_offset_pos', String(samples));
  v.set('playback_seconds', String(Math.floor(ms / 1000)));
  v.set('playback_ms', String(ms));
  v.set('playback_samples', String(samples));
}

/** Plays one file; false if it was interrupted. */
export async function play(rt: AppRuntime, file: string, signal: AbortSignal): Promise<boolean> {
  const type = file.includes('://') ? file.slice(0, file.indexOf('://')) : 'file';
  const fileHeaders: Header[] = [
    ['Playback-File-Type', type],
    ['Playback-File-Path', file],
  ];
  rt.channelEvent('PLAYBACK_START', { after: fileHeaders });
  const started = Date.now();
  await sleep(rt.sw.timing.playbackMs, signal);
  const ms = signal.aborted ? Date.now() - started : rt.sw.timing.playbackMs;
  playbackVars(rt.ch, ms);
  rt.channelEvent('PLAYBACK_STOP', {
    after: [...fileHeaders, ['Playback-Status', signal.aborted ? 'break' : 'done']],
  });
  return !signal.aborted;
}

export const playback: AppHandler = async (rt, req, signal) => {
  const ok = await play(rt, req.data, signal);
  rt.ch.vars.set('current_application_response', ok ? 'FILE PLAYED' : 'PLAYBACK ERROR');
};
