import { access, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Whether a file can be reached at `path` (any error, a missing directory included, reads as no). */
export const fileExists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/** What tempPathFor names: a file no reader ever opens, renamed into place or removed by its writer. */
const TEMP = /^\.tmp-\d+-[0-9a-f-]{36}\.(?:wav|json)$/;

/**
 * Removes temporary files (tempPathFor) under `dir` older than `olderThanMs`: what a process killed mid-write
 * (a greeting upload, a refill, a prompt) left behind. Younger ones may still be written and are kept. Returns how
 * many were removed; a directory that vanishes meanwhile (a tenant purged) is skipped.
 */
export async function sweepTempFiles(dir: string, olderThanMs: number, now = Date.now()): Promise<number> {
  let removed = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removed += await sweepTempFiles(path, olderThanMs, now);
    else if (entry.isFile() && TEMP.test(entry.name)) {
      const info = await stat(path).catch(() => null);
      if (info && now - info.mtimeMs > olderThanMs) {
        await rm(path, { force: true });
        removed++;
      }
    }
  }
  return removed;
}
