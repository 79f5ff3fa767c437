import assert from 'node:assert/strict';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AudioToolError, ensurePromptSet } from '../src/index.js';
import { freshLayout, removeLayouts, seconds, soxInfo } from './sox.js';

after(removeLayouts);

test('a second run generates nothing and leaves the files untouched', async () => {
  const layout = await freshLayout();
  const prompts = { hello: 'Hello.', bye: 'Goodbye.' };
  assert.deepEqual((await ensurePromptSet(layout, { prompts })).generated.sort(), ['bye', 'hello']);
  const before = (await stat(join(layout.promptDir(), 'hello.wav'))).mtimeMs;
  const again = await ensurePromptSet(layout, { prompts });
  assert.deepEqual(again, { dir: layout.promptDir(), generated: [], kept: 2 });
  assert.equal((await stat(join(layout.promptDir(), 'hello.wav'))).mtimeMs, before);
});

test('a changed text, voice or a deleted file is regenerated; the rest is kept', async () => {
  const layout = await freshLayout();
  await ensurePromptSet(layout, { prompts: { a: 'One.', b: 'Two.', c: 'Three.' } });
  const changed = await ensurePromptSet(layout, {
    prompts: { a: 'One.', b: 'Two, and a much longer sentence than before.', c: 'Three.' },
  });
  assert.deepEqual(changed.generated, ['b']);
  assert.ok(seconds(join(layout.promptDir(), 'b.wav')) > 1.5);
  await rm(join(layout.promptDir(), 'c.wav'));
  const restored = await ensurePromptSet(layout, {
    prompts: { a: 'One.', b: 'Two, and a much longer sentence than before.', c: 'Three.' },
  });
  assert.deepEqual(restored.generated, ['c']);
  const revoiced = await ensurePromptSet(layout, {
    prompts: { a: 'One.' },
    voice: { voice: 'en-gb', wordsPerMinute: 140 },
  });
  assert.deepEqual(revoiced.generated, ['a']);
});

test('processes generating the same set at once each leave whole files', async () => {
  const layout = await freshLayout();
  const prompts = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`p${i}`, `Prompt number ${i}.`]));
  await Promise.all([1, 2, 3].map(() => ensurePromptSet(layout, { prompts, concurrency: 2 })));
  for (const info of soxInfo(...Object.keys(prompts).map((n) => join(layout.promptDir(), `${n}.wav`))))
    assert.ok(info.seconds > 0, info.file);
  assert.deepEqual((await ensurePromptSet(layout, { prompts })).generated, []);
  assert.deepEqual(
    (await readdir(layout.promptDir())).filter((f) => f.startsWith('.')),
    [],
  );
});

test('without espeak-ng the start-up error names the package to install', async () => {
  const layout = await freshLayout();
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    await assert.rejects(ensurePromptSet(layout, { prompts: { x: 'X.' } }), (e: unknown) => {
      assert.ok(e instanceof AudioToolError && e.missing);
      assert.match(e.message, /espeak-ng is not installed .*apt-get install espeak-ng/);
      return true;
    });
  } finally {
    process.env.PATH = path;
  }
});
