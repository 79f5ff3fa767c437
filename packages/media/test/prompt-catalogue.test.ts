// The whole catalogue on its own (about 160 tool runs), so it has the per-file time limit to itself.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, test } from 'node:test';
import { PROMPTS, ensurePromptSet } from '../src/index.js';
import { freshLayout, removeLayouts, seconds, soxInfo } from './sox.js';

after(removeLayouts);

test('every prompt of the catalogue is generated as 16 kHz mono 16-bit PCM WAV with speech in it', async () => {
  const layout = await freshLayout();
  const result = await ensurePromptSet(layout);
  assert.equal(result.generated.length, Object.keys(PROMPTS).length);
  const names = Object.keys(PROMPTS) as (keyof typeof PROMPTS)[];
  for (const info of soxInfo(...names.map((n) => layout.prompt(n)))) {
    const { file, seconds: length, ...format } = info;
    assert.deepEqual(
      format,
      { rate: 16000, channels: 1, bits: 16, encoding: 'Signed Integer PCM', type: 'wav' },
      file,
    );
    assert.ok(length > 0.1, `${file} lasts ${length} s`);
  }
  // A longer text takes longer to say: the audio is the text, not a placeholder.
  assert.ok(seconds(layout.prompt('vm-leave-message')) > seconds(layout.prompt('num-1')) * 3);
  // Nothing temporary is left behind.
  const leftovers = (await readdir(layout.promptDir())).filter((f) => f.startsWith('.'));
  assert.deepEqual(leftovers, []);
});
