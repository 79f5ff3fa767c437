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
  const problem = !stored
    ? 'is missing after the upload'
    : stored.sizeBytes !== local.sizeBytes
      ? `holds ${stored.sizeBytes} bytes instead of ${local.sizeBytes}`
      : stored.sha256 !== local.sha256
        ? `has SHA-256 ${stored.sha256 ?? 'unknown'} instead of ${local.sha256}`
        : stored.md5 !== null && stored.md5 !== local.md5
          ? `has MD5 ${stored.md5} instead of ${local.md5}`
          : null;
  if (problem) throw new StorageVerifyError(`the stored copy ${key} in ${storage.description} ${problem}`);
  return { sizeBytes: local.sizeBytes, sha256: local.sha256 };
}
