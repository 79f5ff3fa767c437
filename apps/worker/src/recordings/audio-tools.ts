import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A file the recording pipeline cannot use; the message is the FAILED reason. */
export class BadAudioError extends Error {
  override name = 'BadAudioError';
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
 * Returns the length of the audio encoded (the last `out_time_us` of ffmpeg's `-progress` report): the input as
 * actually decoded, to the last sample, so the same run that encodes also measures (no ffprobe of input or output;
 * an ffprobe of the MP3 would only read back the length LAME wrote into its Info header).
 */
export async function encodeMp3(input: string, output: string): Promise<number> {
  const { stdout } = await run(
    'ffmpeg',
    [
      '-v',
      'error',
      '-nostdin',
      '-nostats',
      '-progress',
      'pipe:1',
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
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const reports = [...stdout.matchAll(/^out_time_us=(\d+)$/gm)];
  const last = reports.at(-1)?.[1];
  if (last === undefined || !/^progress=end$/m.test(stdout))
    throw new Error('ffmpeg finished without reporting the encoded length');
  return Number(last) / 1e6;
}

function firstLine(error: unknown): string {
  const e = error as { stderr?: unknown; message?: unknown };
  const text = typeof e.stderr === 'string' && e.stderr.trim() ? e.stderr : String(e.message ?? error);
  return text.trim().split('\n')[0]?.slice(0, 300) ?? 'unknown error';
}
