// Shared by the greeting tests (split in two files so each stays well inside the per-file time limit on a
// busy machine): an API with MEDIA_DIR in a temporary directory, two populated tenants, test audio.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { mediaLayout } from '@pbx/media';
import { createTenant, populateTenant, startApi, type Harness } from './helpers.js';

export const mediaDir = await mkdtemp(join(tmpdir(), 'pbx-api-media-'));
export const work = await mkdtemp(join(tmpdir(), 'pbx-api-audio-'));
after(() => Promise.all([mediaDir, work].map((d) => rm(d, { recursive: true, force: true }))));
const MAX_BYTES = 256 * 1024;
export const h: Harness = await startApi({
  MEDIA_DIR: mediaDir,
  GREETING_MAX_BYTES: String(MAX_BYTES),
  GREETING_MAX_SECONDS: '8',
  RATE_LIMIT_PER_MIN: '10000',
});
export const layout = mediaLayout(mediaDir);

// Test audio made by the real tools: speech from espeak-ng (22.05 kHz WAV), then MP3 and OGG from it.
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
export const speech = join(work, 'speech.wav');
run('espeak-ng', ['-w', speech, 'Thank you for calling. Please hold.']);
export const mp3 = join(work, 'speech.mp3');
run('ffmpeg', ['-v', 'error', '-i', speech, '-c:a', 'libmp3lame', '-b:a', '32k', mp3]);
export const ogg = join(work, 'speech.ogg');
run('ffmpeg', ['-v', 'error', '-i', speech, '-c:a', 'libvorbis', '-q:a', '1', ogg]);
export const flac = join(work, 'tone.flac');
run('sox', ['-n', '-r', '16000', flac, 'synth', '1', 'sine', '440']);
export const tooLong = join(work, 'long.wav'); // 10 s of 8 kHz 8-bit: small, but longer than the 8 s allowed
run('sox', ['-n', '-r', '8000', '-b', '8', '-c', '1', tooLong, 'synth', '10', 'sine', '440']);
export const tooBig = join(work, 'big.wav'); // 5 s of 44.1 kHz stereo: about 880 KB
run('sox', ['-n', '-r', '44100', '-c', '2', tooBig, 'synth', '5', 'sine', '440']);

/** What sox reads in a file, from one soxi run: rate, channels, bits per sample, seconds. */
export function soxi(file: string) {
  const out = execFileSync('soxi', [file], { encoding: 'utf8' });
  const field = (name: string) => new RegExp(`^${name}\\s*: (.*)$`, 'm').exec(out)?.[1] ?? '';
  const [hours = 0, minutes = 0, seconds = 0] = (field('Duration').split(' ')[0] ?? '')
    .split(':')
    .map(Number);
  return {
    rate: Number(field('Sample Rate')),
    channels: Number(field('Channels')),
    bits: Number.parseInt(field('Precision'), 10),
    seconds: hours * 3600 + minutes * 60 + seconds,
  };
}

/** A multipart/form-data body with one file part (built by hand: the test controls every byte). */
export function multipart(bytes: Buffer, field = 'file', filename = 'greeting.wav') {
  const boundary = `----pbx${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
        'content-type: application/octet-stream\r\n\r\n',
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

export function upload(auth: string, url: string, bytes: Buffer, field?: string) {
  const { body, contentType } = multipart(bytes, field);
  const headers: Record<string, string> = { 'content-type': contentType };
  if (auth.startsWith('pbx_session=')) headers.cookie = auth;
  else headers.authorization = `Bearer ${auth}`;
  return h.app.inject({ method: 'PUT', url, headers, payload: body });
}

export const a = await createTenant(h, 'GreetA');
export const b = await createTenant(h, 'GreetB');
const audioDir = await mkdtemp(join(work, 'rows-'));
export const pa = await populateTenant(h, a, audioDir, '31');
export const pb = await populateTenant(h, b, audioDir, '32');
export const menuUrl = (t: typeof a, id: string) => `${t.base}/ivr-menus/${id}/greeting`;
export const boxUrl = (t: typeof a, id: string, kind: string) =>
  `${t.base}/voicemail-boxes/${id}/greetings/${kind}`;
