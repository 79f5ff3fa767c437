import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Where finished recordings are kept: a local directory (RECORDINGS_DIR, shared with the API that serves
 * them). A copy is written under a temporary name and renamed into place, so a reader never sees half a file.
 */
export class LocalStore {
  constructor(readonly root: string) {}

  pathOf(key: string): string {
    return join(this.root, key);
  }

  /** A scratch path next to `key` (same filesystem, so the final rename is atomic). */
  async scratchFor(key: string): Promise<string> {
    const final = this.pathOf(key);
    await mkdir(dirname(final), { recursive: true });
    return `${final}.${randomUUID()}.part`;
  }

  /** Moves a finished scratch file into place; returns its path and size. */
  async commit(scratch: string, key: string): Promise<{ path: string; sizeBytes: number }> {
    const final = this.pathOf(key);
    await rename(scratch, final);
    return { path: final, sizeBytes: (await stat(final)).size };
  }

  async discard(scratch: string): Promise<void> {
    await rm(scratch, { force: true });
  }
}
