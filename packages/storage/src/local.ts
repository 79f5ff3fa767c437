import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { copyHashing, digestOf, type Digest } from './digest.js';
import { assertKey, assertPrefix } from './keys.js';
import type { ObjectStorage, StoredObject } from './types.js';

const PART = '.part';

/**
 * The default backend: a directory (STORAGE_DIR). A copy is written under a temporary name next to its place
 * and renamed, so a reader sees a whole old object or a whole new one, also on NFS.
 */
export class LocalStorage implements ObjectStorage {
  readonly description: string;

  constructor(readonly root: string) {
    this.description = `local directory ${root}`;
  }

  private path(key: string): string {
    return join(this.root, ...assertKey(key).split('/'));
  }

  // SHA-256 only (no MD5, which costs twice as much): nothing here checks an MD5, and SHA-256 proves the copy.
  async putFile(key: string, file: string): Promise<Digest> {
    const final = this.path(key);
    await mkdir(dirname(final), { recursive: true });
    const part = `${final}.${randomUUID()}${PART}`;
    try {
      // Hashed while copied: one read of the file (HEAD then reads the copy to prove it).
      const digest = await copyHashing(createReadStream(file), createWriteStream(part), { md5: false });
      await rename(part, final);
      return digest;
    } catch (error) {
      // Only a failed copy leaves its temporary file (after the rename there is none to remove).
      await rm(part, { force: true });
      throw error;
    }
  }

  async head(key: string): Promise<StoredObject | null> {
    const path = this.path(key);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return null;
    const digest = await digestOf(path, { md5: false });
    return { key, sizeBytes: digest.sizeBytes, md5: null, sha256: digest.sha256 };
  }

  async get(key: string): Promise<{ body: Readable; sizeBytes: number } | null> {
    const path = this.path(key);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return null;
    return { body: createReadStream(path), sizeBytes: info.size };
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    assertPrefix(prefix);
    // Walk only the directory the prefix names (prefixes end at a segment boundary).
    const start = prefix === '' ? this.root : join(this.root, ...prefix.slice(0, -1).split('/'));
    const entries = await readdir(start, { recursive: true, withFileTypes: true }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      },
    );
    return entries
      .filter((e) => e.isFile() && !e.name.endsWith(PART))
      .map((e) => relative(this.root, join(e.parentPath, e.name)).split(sep).join('/'))
      .sort();
  }

  async deletePrefix(prefix: string): Promise<number> {
    const keys = await this.list(prefix);
    for (const key of keys) await this.delete(key);
    if (prefix !== '')
      await rm(join(this.root, ...prefix.slice(0, -1).split('/')), { recursive: true, force: true });
    return keys.length;
  }

  close(): void {}
}
