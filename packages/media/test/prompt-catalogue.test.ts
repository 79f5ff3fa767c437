// The whole catalogue on its own (about 160 tool runs), so it has the per-file time limit to itself.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PROMPTS, ensurePromptSet, mediaLayout } from '../src/index.js';

const roots: string[] = [];
after(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));
async function freshLayout() {
  const root = await mkdtemp(join(tmpdir(), 'pbx-prompts-'));
  roots.push(root);
  return mediaLayout(root);
}

/** What sox (not the tool that wrote the files) reads in them: one soxi run per property, all files at once. */
function soxInfo(...files: string[]) {
  const get = (flag: string) =>
    execFileSync('soxi', [flag, ...files], { encoding: 'utf8' })
      .trim()
      .split('\n');
  const [rate, channels, bits, encoding, seconds, type] = ['-r', '-c', '-b', '-e', '-D', '-t'].map(get);
  return files.map((file, i) => ({
    file,
    rate: Number(rate?.[i]),
    channels: Number(channels?.[i]),
    bits: Number(bits?.[i]),
    encoding: encoding?.[i],
    seconds: Number(seconds?.[i]),
    type: type?.[i],
  }));
}
const seconds = (file: string) => soxInfo(file)[0]?.seconds ?? 0;

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
