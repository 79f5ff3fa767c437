import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export type FileDigest = { sizeBytes: number; md5: string; sha256: string };

/** Size, MD5 and SHA-256 of bytes fed in order: what an upload hashes while it copies (one pass over the file). */
export function createDigester(): { update: (chunk: Buffer) => void; result: () => FileDigest } {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let sizeBytes = 0;
  return {
    update: (chunk) => {
      md5.update(chunk);
      sha256.update(chunk);
      sizeBytes += chunk.length;
    },
    result: () => ({ sizeBytes, md5: md5.digest('hex'), sha256: sha256.digest('hex') }),
  };
}

/** Size, MD5 and SHA-256 of a file in one read. */
export async function digestFile(file: string): Promise<FileDigest> {
  const digester = createDigester();
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) digester.update(chunk);
  return digester.result();
}
