// The built-in prompt set on disk: MEDIA_DIR/prompts/<lang>/<name>.wav, spoken by espeak-ng from the
// catalogue, plus manifest.json (name -> hash of text, voice and format). Every controller runs this at
// start and `npm run media:prompts` runs it at build/deploy time; it only generates what is missing or
// whose text, voice or format changed. Several processes (or nodes on one shared volume) may run it at
// once: each file is written under a temporary name and renamed into place, so a reader sees a whole old
// file or a whole new one, and two writers of the same version write identical files.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { AUDIO_FORMAT, DEFAULT_VOICE, publishFile, speakToFile, tempPathFor, type Voice } from './audio.js';
import { PROMPTS } from './catalog.js';
import { fileExists } from './files.js';
import type { MediaLayout } from './layout.js';
import { assertToolsInstalled } from './tools.js';

export type PromptSetOptions = {
  lang?: string;
  voice?: Voice;
  /** The texts to speak, by prompt name; the built-in catalogue unless a test passes its own. */
  prompts?: Readonly<Record<string, string>>;
  /** espeak-ng/sox runs in parallel (default: the CPU count, at most 4). */
  concurrency?: number;
};

export type PromptSetResult = { dir: string; generated: string[]; kept: number };

type Manifest = { version: 1; prompts: Record<string, string> };
const MANIFEST = 'manifest.json';

const hashOf = (text: string, voice: Voice) =>
  createHash('sha256')
    .update(JSON.stringify([text, voice, AUDIO_FORMAT]))
    .digest('hex');

async function readManifest(dir: string): Promise<Manifest> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Partial<Manifest>;
    if (parsed.version === 1 && parsed.prompts && typeof parsed.prompts === 'object')
      return { version: 1, prompts: parsed.prompts };
  } catch {
    // missing or unreadable: every prompt is checked against its file and regenerated
  }
  return { version: 1, prompts: {} };
}

/**
 * Generates the prompts that are missing or out of date. Throws (one line, naming the Debian package)
 * when espeak-ng or sox is not installed and something has to be generated.
 */
export async function ensurePromptSet(
  layout: MediaLayout,
  opts: PromptSetOptions = {},
): Promise<PromptSetResult> {
  const voice = opts.voice ?? DEFAULT_VOICE;
  const prompts: Readonly<Record<string, string>> = opts.prompts ?? PROMPTS;
  const dir = layout.promptDir(opts.lang);
  await mkdir(dir, { recursive: true });
  const manifest = await readManifest(dir);

  const todo: string[] = [];
  for (const [name, text] of Object.entries(prompts)) {
    const file = join(dir, `${name}.wav`);
    if (manifest.prompts[name] !== hashOf(text, voice) || !(await fileExists(file))) todo.push(name);
  }
  if (todo.length === 0) return { dir, generated: [], kept: Object.keys(prompts).length };
  await assertToolsInstalled(['espeak-ng', 'sox']);

  const queue = [...todo];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const file = join(dir, `${name}.wav`);
      const temp = tempPathFor(file);
      try {
        await speakToFile(prompts[name] ?? '', temp, voice);
        await publishFile(temp, file);
      } finally {
        await rm(temp, { force: true });
      }
      manifest.prompts[name] = hashOf(prompts[name] ?? '', voice);
    }
  };
  const parallel = Math.max(1, opts.concurrency ?? Math.min(4, cpus().length));
  await Promise.all(Array.from({ length: Math.min(parallel, todo.length) }, worker));

  const manifestTemp = tempPathFor(join(dir, MANIFEST));
  try {
    await writeFile(manifestTemp, `${JSON.stringify(manifest, null, 2)}\n`);
    await publishFile(manifestTemp, join(dir, MANIFEST));
  } finally {
    await rm(manifestTemp, { force: true });
  }
  return { dir, generated: todo, kept: Object.keys(prompts).length - todo.length };
}
