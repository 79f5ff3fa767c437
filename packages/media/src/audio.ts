// What every prompt and greeting is stored as, and the conversions into it.
//
// 16 kHz, mono, 16-bit signed PCM WAV: FreeSWITCH's mod_sndfile plays it without a codec of its own, and
// the core resamples it to the channel's rate (switch_ivr_play_file in src/switch_ivr_play_say.c sets up a
// resampler when the file's rate differs from the codec's). 16 kHz is the rate of G.722, which the internal
// profile offers (freeswitch-conf/autoload_configs/sofia.conf.xml), so wideband phones hear it as made;
// PCMU/PCMA calls get it resampled to 8 kHz; 8 kHz files would sound narrowband on every call.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { AudioToolError, runTool } from './tools.js';

export const AUDIO_FORMAT = {
  sampleRate: 16_000,
  channels: 1,
  codec: 'pcm_s16le',
  container: 'wav',
} as const;

/** espeak-ng's voice and speed for prompts and typed greetings. */
export type Voice = { voice: string; wordsPerMinute: number };
export const DEFAULT_VOICE: Voice = { voice: 'en-us', wordsPerMinute: 150 };

/**
 * A file name next to `target` (same file system, so the final rename is atomic), never a final name, unique per
 * writer (two writers in one process, even in the same millisecond, never share one). It keeps the target's type
 * (audio, or the prompt set's JSON manifest) so that sweepTempFiles knows it.
 */
export function tempPathFor(target: string): string {
  return join(
    dirname(target),
    `.tmp-${process.pid}-${randomUUID()}${extname(target) === '.json' ? '.json' : '.wav'}`,
  );
}

/** Puts a finished temporary file in place: readers see the old file or the new one, never half of one. */
export async function publishFile(temp: string, target: string): Promise<void> {
  await rename(temp, target);
}

/** The containers accepted from users (ffprobe's names). */
export const UPLOAD_CONTAINERS = ['wav', 'mp3', 'ogg'] as const;
// An uploaded file is untrusted: ffmpeg must not pick a demuxer by content (a "WAV" that is really an HLS
// playlist would make it open other files or URLs), nor open anything but the file itself.
const UNTRUSTED_INPUT = ['-protocol_whitelist', 'file', '-format_whitelist', UPLOAD_CONTAINERS.join(',')];

/**
 * Converts an uploaded WAV, MP3 or OGG file into AUDIO_FORMAT at `output` (overwritten), cut at `maxSec`.
 */
export async function convertToStoredFormat(input: string, output: string, maxSec = 600): Promise<void> {
  await runTool(
    'ffmpeg',
    [
      ...['-hide_banner', '-nostdin', '-loglevel', 'error', ...UNTRUSTED_INPUT, '-y', '-i', input],
      // Metadata of an uploaded file (titles, cover art) is not ours to keep; audio only.
      ...['-map', '0:a:0', '-map_metadata', '-1', '-t', String(maxSec)],
      ...['-ac', String(AUDIO_FORMAT.channels), '-ar', String(AUDIO_FORMAT.sampleRate)],
      // bitexact: no encoder tag, so the WAV header is the plain 44 bytes storedDurationSec counts on.
      ...['-c:a', AUDIO_FORMAT.codec, '-fflags', '+bitexact', '-f', AUDIO_FORMAT.container, output],
    ],
    { timeoutMs: 120_000 },
  );
}

/**
 * Speaks `text` with espeak-ng into AUDIO_FORMAT at `output` (overwritten). The text goes in on stdin, so
 * nothing in it can be taken for an option. espeak-ng writes 22.05 kHz WAV; sox resamples it (sox starts
 * in a tenth of ffmpeg's time, which matters for a set of about a hundred prompts).
 */
export async function speakToFile(text: string, output: string, voice: Voice = DEFAULT_VOICE): Promise<void> {
  await mkdir(dirname(output), { recursive: true });
  const raw = join(dirname(output), `.tts-${process.pid}-${randomUUID()}.wav`);
  try {
    await runTool('espeak-ng', ['-v', voice.voice, '-s', String(voice.wordsPerMinute), '-w', raw], {
      stdin: text,
    });
    await runTool('sox', [
      ...['-V1', raw],
      ...['-r', String(AUDIO_FORMAT.sampleRate), '-c', String(AUDIO_FORMAT.channels)],
      ...['-b', '16', '-e', 'signed-integer', '-t', 'wav', output],
    ]);
  } finally {
    await rm(raw, { force: true });
  }
}

/** Seconds of audio in a stored file of `sizeBytes` (44-byte WAV header, then 16-bit mono PCM). */
export const storedDurationSec = (sizeBytes: number) =>
  Math.max(0, sizeBytes - 44) / (AUDIO_FORMAT.sampleRate * AUDIO_FORMAT.channels * 2);

export type AudioInfo = {
  /** ffprobe's container name, e.g. "wav", "mp3", "ogg". */
  container: string;
  codec: string;
  sampleRate: number;
  channels: number;
  durationSec: number;
};

export type UploadCheck =
  | { ok: true; info: AudioInfo }
  | { ok: false; reason: 'unsupported'; container: string | null }
  | { ok: false; reason: 'unreadable'; detail: string };

/** Whether an uploaded file is WAV, MP3 or OGG audio ffmpeg can read, and what is in it. */
export async function checkUpload(file: string): Promise<UploadCheck> {
  try {
    const info = await probeAudio(file);
    if (!info.codec || info.durationSec <= 0)
      return { ok: false, reason: 'unreadable', detail: 'no audio in the file' };
    return { ok: true, info };
  } catch (error) {
    if (!(error instanceof AudioToolError) || error.missing) throw error;
    const refused = /\[(\w+) @ [^\]]*\] Format not on whitelist/.exec(error.stderr);
    if (refused) return { ok: false, reason: 'unsupported', container: refused[1] ?? null };
    return { ok: false, reason: 'unreadable', detail: error.stderr.split('\n').at(-1) ?? error.message };
  }
}

/** What ffprobe finds in a file's first audio stream; rejects when it cannot read the file as audio. */
export async function probeAudio(file: string): Promise<AudioInfo> {
  const out = await runTool(
    'ffprobe',
    [
      ...['-v', 'error', ...UNTRUSTED_INPUT, '-select_streams', 'a:0'],
      ...['-show_entries', 'format=format_name,duration:stream=codec_name,sample_rate,channels,duration'],
      ...['-of', 'json', file],
    ],
    { timeoutMs: 30_000 },
  );
  const json = JSON.parse(out) as {
    format?: { format_name?: string; duration?: string };
    streams?: { codec_name?: string; sample_rate?: string; channels?: number; duration?: string }[];
  };
  const stream = json.streams?.[0];
  return {
    container: json.format?.format_name ?? '',
    codec: stream?.codec_name ?? '',
    sampleRate: Number(stream?.sample_rate ?? 0),
    channels: stream?.channels ?? 0,
    durationSec: Number(stream?.duration ?? json.format?.duration ?? 0) || 0,
  };
}
