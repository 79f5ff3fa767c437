// Where the double finds the files it plays and writes the ones it records (switch_ivr_play_say.c: a path that
// is not absolute and not a URL gets `sound_prefix`, else the sounds directory, in front).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import type { Channel } from '../channel.js';

const run = promisify(execFile);

export interface MediaOptions {
  /**
   * Check that a played file exists (default false). When true, a missing local file gives FreeSWITCH's
   * `FILE NOT FOUND` (no PLAYBACK_START); URLs and `tone_stream://`/`silence_stream://` always play.
   */
  checkFiles: boolean;
  /** SWITCH_GLOBAL_dirs.sounds_dir, for relative paths when the channel has no `sound_prefix`. */
  soundsDir: string;
}

export const defaultMedia = (): MediaOptions => ({
  checkFiles: false,
  soundsDir: '/usr/share/freeswitch/sounds',
});

/** The local path FreeSWITCH would open, or undefined for a URL / stream (`tone_stream://…`). */
export function localPath(ch: Channel, media: MediaOptions, file: string): string | undefined {
  if (file.includes('://')) return undefined;
  if (isAbsolute(file)) return file;
  return join(ch.vars.get('sound_prefix') ?? media.soundsDir, file);
}

export function playable(ch: Channel, media: MediaOptions, file: string): boolean {
  if (!media.checkFiles) return true;
  const path = localPath(ch, media, file);
  return path === undefined || existsSync(path);
}

/** Whether FreeSWITCH could open `path` for writing (its directory exists). */
export function writable(path: string): boolean {
  return existsSync(dirname(path));
}

/**
 * Writes a real 8 kHz 16-bit mono recording with sox: `speechSamples` of a tone (the caller talking), then
 * `silenceSamples` of silence, so its duration is exactly what record_samples / record_ms say.
 */
export async function writeRecording(
  path: string,
  speechSamples: number,
  silenceSamples: number,
): Promise<void> {
  const input = ['-r', '8000', '-c', '1', '-n', '-b', '16', '-e', 'signed-integer', path];
  // sox's `synth 0s` means "forever": an empty or all-silent recording is made without a tone.
  const effects =
    speechSamples + silenceSamples === 0
      ? ['trim', '0', '0s']
      : speechSamples === 0
        ? ['synth', `${silenceSamples}s`, 'sine', '440', 'vol', '0']
        : ['synth', `${speechSamples}s`, 'sine', '440', 'vol', '0.5', 'pad', '0', `${silenceSamples}s`];
  await run('sox', [...input, ...effects]);
}
