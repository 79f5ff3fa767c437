import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sweepTempFiles, tempPathFor } from '../src/index.js';

test('temporary files older than the limit are removed at any depth; young ones, final files and look-alikes stay', async () => {
  const root = await mkdtemp(join(tmpdir(), 'pbx-temp-sweep-'));
  after(() => rm(root, { recursive: true, force: true }));
  const deep = join(root, 'tenants', randomUUID(), 'greetings');
  await mkdir(deep, { recursive: true });
  const now = Date.now();
  const old = new Date(now - 2 * 3_600_000);
  const stale = [
    tempPathFor(join(root, 'prompt.wav')),
    tempPathFor(join(deep, 'name.wav')),
    tempPathFor(join(root, 'manifest.json')),
  ];
  const young = tempPathFor(join(deep, 'busy.wav'));
  const final = join(deep, 'name.wav');
  const lookAlike = join(deep, '.tmp-notes.wav');
  for (const f of [...stale, young, final, lookAlike]) await writeFile(f, 'RIFF');
  for (const f of [...stale, final, lookAlike]) await utimes(f, old, old);

  assert.equal(await sweepTempFiles(root, 3_600_000, now), 3);
  for (const f of stale) assert.ok(!existsSync(f), `${f} removed`);
  for (const f of [young, final, lookAlike]) assert.ok(existsSync(f), `${f} kept`);
  assert.equal(
    await sweepTempFiles(join(root, 'gone'), 3_600_000, now),
    0,
    'a missing directory is no error',
  );
});
