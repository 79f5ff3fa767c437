import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export type FileDigest = { sizeBytes: number; md5: string; sha256: string };

/** Size, MD5 and SHA-256 of a file in one read. */
export async function digestFile(file: string): Promise<FileDigest> {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    md5.update(chunk);
    sha256.update(chunk);
    sizeBytes += chunk.length;
  }
  return { sizeBytes, md5: md5.digest('hex'), sha256: sha256.digest('hex') };
}
