// What the prompt tests share: media layouts in fresh temporary folders, and what sox reads in the WAV files.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mediaLayout, type MediaLayout } from '../src/index.js';

const roots: string[] = [];

/** A media layout under a new temporary folder; removeLayouts() deletes them all (call it in `after`). */
export async function freshLayout(): Promise<MediaLayout> {
  const root = await mkdtemp(join(tmpdir(), 'pbx-prompts-'));
  roots.push(root);
  return mediaLayout(root);
}

export async function removeLayouts(): Promise<void> {
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
}

/** What sox (not the tool that wrote the files) reads in them: one soxi run per property, all files at once. */
export function soxInfo(...files: string[]) {
  const get = (flag: string) =>
    execFileSync('soxi', [flag, ...files], { encoding: 'utf8' })
      .trim()
      .split('\n');
  const [rate, channels, bits, encoding, seconds, type] = ['-r', '-c', '-b', '-e', '-D', '-t'].map(get);
  return files.map((file, i) => ({
    file,
    rate: Number(rate?.[i]),
    channels: Number(channels?.[i]),
    bits: Number(bits?.[i]),
    encoding: encoding?.[i],
    seconds: Number(seconds?.[i]),
    type: type?.[i],
  }));
}

export const seconds = (file: string): number => soxInfo(file)[0]?.seconds ?? 0;
