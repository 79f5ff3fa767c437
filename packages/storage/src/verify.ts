import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { copyHashing, digestMismatch } from './digest.js';
import type { ObjectStorage } from './types.js';

/** The stored copy is missing or differs from the file it was made from. */
export class StorageVerifyError extends Error {
  override name = 'StorageVerifyError';
}

/**
 * Stores a file and proves the copy: HEAD must report the same size and the same SHA-256 (and MD5, where the
 * backend reports one) as the bytes the upload read from the file (hashed as they were read: the file is not read a
 * second time for this). Only after this may the caller delete its local file. Throws otherwise (the caller
 * keeps its file and retries).
 */
export async function storeVerified(
  storage: ObjectStorage,
  key: string,
  file: string,
  contentType: string,
): Promise<{ sizeBytes: number; sha256: string }> {
  const local = await storage.putFile(key, file, contentType);
  const stored = await storage.head(key);
  const wrong = stored && digestMismatch(stored, local);
  const problem = !stored ? 'is missing after the upload' : wrong && `holds ${wrong}`;
  if (problem) throw new StorageVerifyError(`the stored copy ${key} in ${storage.description} ${problem}`);
  return { sizeBytes: local.sizeBytes, sha256: local.sha256 };
}

/**
 * The reverse of storeVerified: copies a stored object into `file`, which must not exist yet (a temporary name
 * of the caller's), and proves the copy against what HEAD reports of the object: the same size and the same
 * SHA-256 (and MD5 where the backend reports one), the digests storeVerified checked when it was stored.
 * Returns null when there is no such object. Throws StorageVerifyError when the copy differs or the object
 * carries no digest to check it by; on any failure the partial file is removed.
 */
export async function fetchVerified(
  storage: ObjectStorage,
  key: string,
  file: string,
): Promise<{ sizeBytes: number; sha256: string } | null> {
  const stored = await storage.head(key);
  if (!stored) return null;
  if (stored.sha256 === null && stored.md5 === null)
    throw new StorageVerifyError(`the stored copy ${key} in ${storage.description} has no digest to verify`);
  const object = await storage.get(key);
  if (!object) return null;
  try {
    // 'wx': never writes through a file someone else put there. Hashed on the way: one pass.
    const local = await copyHashing(object.body, createWriteStream(file, { flags: 'wx' }), {
      md5: stored.md5 !== null,
    });
    const wrong = digestMismatch(local, stored);
    const problem = wrong && `arrived with ${wrong}`;
    if (problem) throw new StorageVerifyError(`the stored copy ${key} in ${storage.description} ${problem}`);
    return { sizeBytes: local.sizeBytes, sha256: local.sha256 };
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST'))
      await rm(file, { force: true });
    throw error;
  }
}
