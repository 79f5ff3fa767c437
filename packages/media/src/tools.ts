// Runs the Debian audio tools (espeak-ng, sox, ffmpeg, ffprobe) as child processes: no audio is encoded or
// parsed by our own code. Every run has a time limit, and a tool that is not installed is reported by name.
import { spawn } from 'node:child_process';

export type AudioTool = 'espeak-ng' | 'sox' | 'ffmpeg' | 'ffprobe';

const PACKAGE: Record<AudioTool, string> = {
  'espeak-ng': 'espeak-ng',
  sox: 'sox',
  ffmpeg: 'ffmpeg',
  ffprobe: 'ffmpeg',
};

/** A tool is missing or failed; `missing` separates "install it" from "this input is bad". */
export class AudioToolError extends Error {
  constructor(
    readonly tool: AudioTool,
    message: string,
    readonly missing = false,
    /** The tool's error output (first 64 KiB), to tell "unsupported format" from "corrupt". */
    readonly stderr = '',
  ) {
    super(message);
    this.name = 'AudioToolError';
  }
}

export type RunOptions = { stdin?: string; timeoutMs?: number };

/** Runs `tool args`, resolves with its stdout; rejects with the tool's last stderr line on failure. */
export function runTool(tool: AudioTool, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let errBytes = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      // Only the tail matters for the message; a chatty tool must not grow memory without bound.
      if (errBytes < 64 * 1024) err.push(b);
      errBytes += b.length;
    });
    child.stdin.on('error', () => undefined); // the tool may exit before reading all its input
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        e.code === 'ENOENT'
          ? new AudioToolError(
              tool,
              `${tool} is not installed (Debian package ${PACKAGE[tool]}: apt-get install ${PACKAGE[tool]})`,
              true,
            )
          : new AudioToolError(tool, `${tool} could not be started: ${e.message}`),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'));
      const stderr = Buffer.concat(err).toString('utf8').trim();
      const why = signal
        ? `killed (${signal}) after the time limit`
        : (stderr.split('\n').at(-1) ?? `exit code ${code}`);
      reject(new AudioToolError(tool, `${tool} failed: ${why}`, false, stderr));
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

/** Fails with a one-line, actionable error when one of the tools is not installed. */
export async function assertToolsInstalled(tools: readonly AudioTool[]): Promise<void> {
  const versionFlag: Record<AudioTool, string> = {
    'espeak-ng': '--version',
    sox: '--version',
    ffmpeg: '-version',
    ffprobe: '-version',
  };
  for (const tool of tools) await runTool(tool, [versionFlag[tool]]);
}
