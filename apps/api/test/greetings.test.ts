import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { mediaLayout } from '@pbx/media';
import {
  createTenant,
  expectProblem,
  expectStatus,
  json,
  loginAs,
  populateTenant,
  startApi,
  type Harness,
} from './helpers.js';

const mediaDir = await mkdtemp(join(tmpdir(), 'pbx-api-media-'));
const work = await mkdtemp(join(tmpdir(), 'pbx-api-audio-'));
after(() => Promise.all([mediaDir, work].map((d) => rm(d, { recursive: true, force: true }))));
const MAX_BYTES = 256 * 1024;
const h: Harness = await startApi({
  MEDIA_DIR: mediaDir,
  GREETING_MAX_BYTES: String(MAX_BYTES),
  GREETING_MAX_SECONDS: '8',
  RATE_LIMIT_PER_MIN: '10000',
});
const layout = mediaLayout(mediaDir);

// Test audio made by the real tools: speech from espeak-ng (22.05 kHz WAV), then MP3 and OGG from it.
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
const speech = join(work, 'speech.wav');
run('espeak-ng', ['-w', speech, 'Thank you for calling. Please hold.']);
const mp3 = join(work, 'speech.mp3');
run('ffmpeg', ['-v', 'error', '-i', speech, '-c:a', 'libmp3lame', '-b:a', '32k', mp3]);
const ogg = join(work, 'speech.ogg');
run('ffmpeg', ['-v', 'error', '-i', speech, '-c:a', 'libvorbis', '-q:a', '1', ogg]);
const flac = join(work, 'tone.flac');
run('sox', ['-n', '-r', '16000', flac, 'synth', '1', 'sine', '440']);
const tooLong = join(work, 'long.wav'); // 10 s of 8 kHz 8-bit: small, but longer than the 8 s allowed
run('sox', ['-n', '-r', '8000', '-b', '8', '-c', '1', tooLong, 'synth', '10', 'sine', '440']);
const tooBig = join(work, 'big.wav'); // 5 s of 44.1 kHz stereo: about 880 KB
run('sox', ['-n', '-r', '44100', '-c', '2', tooBig, 'synth', '5', 'sine', '440']);

function soxi(file: string) {
  const get = (flag: string) => execFileSync('soxi', [flag, file], { encoding: 'utf8' }).trim();
  return {
    rate: Number(get('-r')),
    channels: Number(get('-c')),
    bits: Number(get('-b')),
    seconds: Number(get('-D')),
  };
}

/** A multipart/form-data body with one file part (built by hand: the test controls every byte). */
function multipart(bytes: Buffer, field = 'file', filename = 'greeting.wav') {
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

function upload(auth: string, url: string, bytes: Buffer, field?: string) {
  const { body, contentType } = multipart(bytes, field);
  const headers: Record<string, string> = { 'content-type': contentType };
  if (auth.startsWith('pbx_session=')) headers.cookie = auth;
  else headers.authorization = `Bearer ${auth}`;
  return h.app.inject({ method: 'PUT', url, headers, payload: body });
}

const a = await createTenant(h, 'GreetA');
const b = await createTenant(h, 'GreetB');
const audioDir = await mkdtemp(join(work, 'rows-'));
const pa = await populateTenant(h, a, audioDir, '31');
const pb = await populateTenant(h, b, audioDir, '32');
const menuUrl = (t: typeof a, id: string) => `${t.base}/ivr-menus/${id}/greeting`;
const boxUrl = (t: typeof a, id: string, kind: string) => `${t.base}/voicemail-boxes/${id}/greetings/${kind}`;

void test('an IVR greeting in WAV, MP3 or OGG is stored as 16 kHz mono PCM WAV, shown, downloadable', async () => {
  const menuPath = layout.ivrGreeting(a.id, pa.menu.id);
  expectStatus(await a.api('GET', `${a.base}/ivr-menus/${pa.menu.id}`), 200);
  assert.equal(json(await a.api('GET', `${a.base}/ivr-menus/${pa.menu.id}`)).greeting, null);
  for (const file of [speech, mp3, ogg]) {
    const res = await upload(a.adminKey, menuUrl(a, pa.menu.id), await readFile(file));
    expectStatus(res, 200, file);
    const result = json(res);
    assert.ok(result.durationSec > 1 && result.durationSec < 5, `${file}: ${res.body}`);
    const info = soxi(menuPath);
    assert.deepEqual(
      { ...info, seconds: undefined },
      { rate: 16000, channels: 1, bits: 16, seconds: undefined },
    );
    assert.ok(Math.abs(info.seconds - result.durationSec) < 0.1, file);
    const menu = json(await a.api('GET', `${a.base}/ivr-menus/${pa.menu.id}`));
    assert.equal(menu.greeting.updatedAt, result.updatedAt);
  }
  const download = await a.api('GET', menuUrl(a, pa.menu.id));
  expectStatus(download, 200);
  assert.equal(download.headers['content-type'], 'audio/wav');
  assert.deepEqual(download.rawPayload, await readFile(menuPath));
  assert.equal(download.rawPayload.subarray(0, 4).toString(), 'RIFF');
  const audit = await h.prisma.auditLog.findMany({
    where: { tenantId: a.id, action: 'ivrMenu.greeting.store', entityId: pa.menu.id },
  });
  assert.equal(audit.length, 3);
});

void test('voicemail greetings: upload, typed text, per kind; delete brings back the default', async () => {
  expectStatus(await upload(a.adminKey, boxUrl(a, pa.box.id, 'unavailable'), await readFile(mp3)), 200);
  const typed = await a.api('PUT', `${boxUrl(a, pa.box.id, 'busy')}/text`, {
    body: { text: 'Sorry, I am on the other line. Leave a message!' },
  });
  expectStatus(typed, 200);
  assert.ok(json(typed).durationSec > 1.5);
  const busyInfo = soxi(layout.boxGreeting(a.id, pa.box.id, 'busy'));
  assert.equal(busyInfo.rate, 16000);
  assert.equal(busyInfo.channels, 1);
  let box = json(await a.api('GET', `${a.base}/voicemail-boxes/${pa.box.id}`));
  assert.ok(box.greetings.unavailable.updatedAt && box.greetings.busy.updatedAt);
  assert.equal(box.greetings.name, null);

  expectStatus(await a.api('DELETE', boxUrl(a, pa.box.id, 'busy')), 204);
  assert.ok(!existsSync(layout.boxGreeting(a.id, pa.box.id, 'busy')));
  box = json(await a.api('GET', `${a.base}/voicemail-boxes/${pa.box.id}`));
  assert.equal(box.greetings.busy, null);
  assert.ok(box.greetings.unavailable);
  expectProblem(await a.api('DELETE', boxUrl(a, pa.box.id, 'busy')), 404, 'NOT_FOUND');
  expectProblem(await a.api('GET', boxUrl(a, pa.box.id, 'busy')), 404, 'NOT_FOUND');
  expectProblem(await a.api('GET', boxUrl(a, pa.box.id, 'name')), 404, 'NOT_FOUND');
  const audit = await h.prisma.auditLog.findMany({
    where: { tenantId: a.id, entityType: 'voicemailBox', action: { startsWith: 'voicemailBox.greeting.' } },
    orderBy: { createdAt: 'asc' },
  });
  assert.deepEqual(
    audit.map((r) => r.action),
    ['voicemailBox.greeting.store', 'voicemailBox.greeting.store', 'voicemailBox.greeting.delete'],
  );
});

void test("the box's owner sets its greetings; another user's box is not found", async () => {
  const cookie = await loginAs(h, 'user31@example.com', 'a long enough password');
  expectStatus(await upload(cookie, boxUrl(a, pa.box.id, 'name'), await readFile(ogg)), 200);
  const other = json(
    await a.api('POST', `${a.base}/voicemail-boxes`, {
      body: { number: '8999', name: 'Other', pin: '4321' },
    }),
  );
  expectProblem(await upload(cookie, boxUrl(a, other.id, 'name'), await readFile(ogg)), 404, 'NOT_FOUND');
  // IVR menus are for admins only.
  const asUser = await h.app.inject({ method: 'GET', url: menuUrl(a, pa.menu.id), headers: { cookie } });
  assert.ok(asUser.statusCode === 403 || asUser.statusCode === 404, asUser.body);
});

void test('wrong format, corrupt, too long, oversize or mis-sent uploads get a 4xx naming the field', async () => {
  const url = boxUrl(a, pa.box.id, 'name');
  const before = await readFile(layout.boxGreeting(a.id, pa.box.id, 'name')).catch(() => null);
  expectProblem(await upload(a.adminKey, url, await readFile(flac)), 415, 'UNSUPPORTED_MEDIA_TYPE', 'file');
  const playlist = Buffer.from('#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:///etc/passwd\n');
  expectProblem(await upload(a.adminKey, url, playlist), 415, 'UNSUPPORTED_MEDIA_TYPE', 'file');
  expectProblem(await upload(a.adminKey, url, randomBytes(4000)), 400, 'VALIDATION_FAILED', 'file');
  const wav = await readFile(speech);
  // A WAV header promising audio, then nothing.
  expectProblem(await upload(a.adminKey, url, wav.subarray(0, 44)), 400, 'VALIDATION_FAILED', 'file');
  expectProblem(await upload(a.adminKey, url, Buffer.alloc(0)), 400, 'VALIDATION_FAILED', 'file');
  expectProblem(await upload(a.adminKey, url, await readFile(tooLong)), 400, 'VALIDATION_FAILED', 'file');
  expectProblem(await upload(a.adminKey, url, await readFile(tooBig)), 413, 'PAYLOAD_TOO_LARGE', 'file');
  expectProblem(await upload(a.adminKey, url, wav, 'audio'), 400, 'VALIDATION_FAILED', 'file');
  expectProblem(
    await a.api('PUT', url, { body: { file: wav.toString('base64') } }),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'file',
  );
  const text = `${url}/text`;
  expectProblem(await a.api('PUT', text, { body: { text: '   ' } }), 400, 'VALIDATION_FAILED', 'text');
  expectProblem(
    await a.api('PUT', text, { body: { text: 'x'.repeat(1001) } }),
    400,
    'VALIDATION_FAILED',
    'text',
  );
  expectProblem(
    await a.api('PUT', text, { body: { text: '<speak>[[h@l@U]]</speak>' } }),
    400,
    'VALIDATION_FAILED',
    'text',
  );
  expectProblem(await a.api('PUT', text, { body: { text: 'hi', voice: 'x' } }), 400, 'VALIDATION_FAILED');
  // Nothing of the refused uploads reached the stored greeting, and no temporary file is left.
  assert.deepEqual(await readFile(layout.boxGreeting(a.id, pa.box.id, 'name')).catch(() => null), before);
  const left = (await readdir(join(layout.tenantDir(a.id), 'greetings'))).filter((f) => f.startsWith('.'));
  assert.deepEqual(left, []);
});

void test("tenant B can neither read nor write nor delete tenant A's greetings", async () => {
  expectStatus(
    await a.api('PUT', `${menuUrl(a, pa.menu.id)}/text`, { body: { text: 'Welcome to A.' } }),
    200,
  );
  const mine = await readFile(layout.ivrGreeting(a.id, pa.menu.id));
  const wav = await readFile(speech);
  // B's key against A's tenant path: refused by tenant resolution.
  for (const res of [
    await upload(b.adminKey, menuUrl(a, pa.menu.id), wav),
    await b.api('GET', menuUrl(a, pa.menu.id)),
    await b.api('DELETE', menuUrl(a, pa.menu.id)),
    await b.api('GET', boxUrl(a, pa.box.id, 'unavailable')),
  ])
    assert.ok([403, 404].includes(res.statusCode), res.body);
  // B's own tenant path with A's ids: not found, exactly like ids that do not exist.
  for (const res of [
    await upload(b.adminKey, menuUrl(b, pa.menu.id), wav),
    await b.api('PUT', `${menuUrl(b, pa.menu.id)}/text`, { body: { text: 'Hijacked.' } }),
    await b.api('GET', menuUrl(b, pa.menu.id)),
    await b.api('DELETE', menuUrl(b, pa.menu.id)),
    await upload(b.adminKey, boxUrl(b, pa.box.id, 'unavailable'), wav),
    await b.api('GET', boxUrl(b, pa.box.id, 'unavailable')),
    await b.api('DELETE', boxUrl(b, pa.box.id, 'unavailable')),
    await b.api('GET', menuUrl(b, randomUUID())),
  ])
    expectProblem(res, 404, 'NOT_FOUND');
  assert.deepEqual(await readFile(layout.ivrGreeting(a.id, pa.menu.id)), mine);
  assert.ok(existsSync(layout.boxGreeting(a.id, pa.box.id, 'unavailable')));
  assert.ok(!existsSync(layout.tenantDir(b.id)) || !existsSync(layout.ivrGreeting(b.id, pa.menu.id)));
  // B's own menu works and lands in B's directory.
  expectStatus(
    await b.api('PUT', `${menuUrl(b, pb.menu.id)}/text`, { body: { text: 'Welcome to B.' } }),
    200,
  );
  assert.ok(existsSync(layout.ivrGreeting(b.id, pb.menu.id)));
});
