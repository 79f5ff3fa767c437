import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  a,
  b,
  boxUrl,
  flac,
  layout,
  menuUrl,
  pa,
  pb,
  speech,
  tooBig,
  tooLong,
  upload,
} from './greetings-fixture.js';
import { expectProblem, expectStatus } from './helpers.js';

/**
 * Bytes no prober recognises, the same every run: random bytes were now and then taken for a container by
 * ffprobe's guessing (a first byte of `[` probes as LRC lyrics, a 415 instead of the 400 this case checks).
 */
function noise(length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 64 < length; i++)
    blocks.push(createHash('sha512').update(`noise ${i}`).digest());
  return Buffer.concat(blocks).subarray(0, length);
}

void test('wrong format, corrupt, too long, oversize or mis-sent uploads get a 4xx naming the field', async () => {
  const url = boxUrl(a, pa.box.id, 'name');
  const before = await readFile(layout.boxGreeting(a.id, pa.box.id, 'name')).catch(() => null);
  expectProblem(await upload(a.adminKey, url, await readFile(flac)), 415, 'UNSUPPORTED_MEDIA_TYPE', 'file');
  const playlist = Buffer.from('#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:///etc/passwd\n');
  expectProblem(await upload(a.adminKey, url, playlist), 415, 'UNSUPPORTED_MEDIA_TYPE', 'file');
  expectProblem(await upload(a.adminKey, url, noise(4000)), 400, 'VALIDATION_FAILED', 'file');
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
  expectStatus(
    await a.api('PUT', `${boxUrl(a, pa.box.id, 'unavailable')}/text`, { body: { text: 'Not here.' } }),
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
