import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A file the recording pipeline cannot use; the message is the FAILED reason. */
export class BadAudioError extends Error {
  override name = 'BadAudioError';
}

/** Duration of the audio actually present, as ffmpeg decodes it (null when it finds none). */
export async function probeDuration(path: string): Promise<number | null> {
  try {
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=duration',
      '-of',
      'csv=p=0',
      path,
    ]);
    const seconds = Number.parseFloat(stdout.trim());
    return Number.isFinite(seconds) ? seconds : null;
  } catch (error) {
    throw new BadAudioError(`not readable audio: ${firstLine(error)}`);
  }
}

/** Duration the WAV header announces (sox reads the data chunk's declared length). */
export async function headerDuration(path: string): Promise<number> {
  try {
    const { stdout } = await run('soxi', ['-D', path]);
    return Number.parseFloat(stdout.trim());
  } catch (error) {
    throw new BadAudioError(`not a readable WAV: ${firstLine(error)}`);
  }
}

/**
 * MP3 (LAME through ffmpeg), mono, 32 kbit/s: every browser, phone and mail client plays it, and LAME
 * encodes telephone audio at several hundred times real time per core (Opus is smaller at the same
 * quality but plays in fewer places and encodes slower here; see apps/worker/README.md).
 */
export async function encodeMp3(input: string, output: string): Promise<void> {
  await run('ffmpeg', [
    '-v',
    'error',
    '-nostdin',
    '-y',
    '-i',
    input,
    '-ac',
    '1',
    '-c:a',
    'libmp3lame',
    '-b:a',
    '32k',
    '-f',
    'mp3',
    output,
  ]);
}

function firstLine(error: unknown): string {
  const e = error as { stderr?: unknown; message?: unknown };
  const text = typeof e.stderr === 'string' && e.stderr.trim() ? e.stderr : String(e.message ?? error);
  return text.trim().split('\n')[0]?.slice(0, 300) ?? 'unknown error';
}
