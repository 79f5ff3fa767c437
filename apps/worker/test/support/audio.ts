import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A real WAV (8 kHz mono, 16 bit, as FreeSWITCH records) of `seconds` of tone, made with sox. */
export async function makeWav(path: string, seconds: number, rate = 8000): Promise<void> {
  await run('sox', [
    '-n',
    '-r',
    String(rate),
    '-c',
    '1',
    '-b',
    '16',
    path,
    'synth',
    String(seconds),
    'sine',
    '440',
  ]);
}

/** Duration in seconds as sox decodes the file. */
export async function durationOf(path: string): Promise<number> {
  const { stdout } = await run('soxi', ['-D', path]);
  return Number(stdout.trim());
}
