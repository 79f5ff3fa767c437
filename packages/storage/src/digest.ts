import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Size and SHA-256 of some bytes, and their MD5 where it was asked for (S3 needs it, a local copy does not). */
export type Digest = { sizeBytes: number; sha256: string; md5: string | null };

/** Size, MD5 and SHA-256 of a file. */
export type FileDigest = Digest & { md5: string };

/**
 * Size, SHA-256 and (with `md5`) MD5 of bytes fed in order: what an upload hashes while it copies (one pass over
 * the file). MD5 costs more than twice SHA-256, so it is computed only for a backend that checks it (S3's
 * Content-MD5 and ETag); SHA-256 alone proves a copy.
 */
export function createDigester(options: { md5: boolean }): {
  update: (chunk: Buffer) => void;
  result: () => Digest;
} {
  const md5: Hash | null = options.md5 ? createHash('md5') : null;
  const sha256 = createHash('sha256');
  let sizeBytes = 0;
  return {
    update: (chunk) => {
      md5?.update(chunk);
      sha256.update(chunk);
      sizeBytes += chunk.length;
    },
    result: () => ({ sizeBytes, md5: md5 ? md5.digest('hex') : null, sha256: sha256.digest('hex') }),
  };
}

// A file is read into one buffer of at most this size, reused: a voicemail message (~0.5 MB) is one read.
const READ_BUFFER_BYTES = 1024 * 1024;

/**
 * Size and SHA-256 of a file, and its MD5 with `md5`: read to its end into one reused buffer (no stream, no buffer
 * per chunk: this runs twice for every stored copy).
 */
export async function digestOf(file: string, options: { md5: boolean }): Promise<Digest> {
  const digester = createDigester(options);
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.allocUnsafe(Math.min(READ_BUFFER_BYTES, Math.max(size, 64 * 1024)));
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      digester.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return digester.result();
}

/** Size, MD5 and SHA-256 of a file in one read. */
export async function digestFile(file: string): Promise<FileDigest> {
  const { md5, ...rest } = await digestOf(file, { md5: true });
  if (md5 === null) throw new Error('unreachable: MD5 was asked for');
  return { ...rest, md5 };
}

/** Copies `from` into `to`, hashing the bytes on their way: the copy and its digest in one pass. */
export async function copyHashing(from: Readable, to: Writable, options: { md5: boolean }): Promise<Digest> {
  const digester = createDigester(options);
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      digester.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(from, hashing, to);
  return digester.result();
}

type Digests = { sizeBytes: number; sha256: string | null; md5: string | null };

/**
 * How a copy (`have`) differs from what it should be (`want`), in words ("3 bytes instead of 6"): the size, then
 * the SHA-256 and the MD5 wherever `want` has one (a copy without it then differs); null when they agree.
 */
export function digestMismatch(have: Digests, want: Digests): string | null {
  if (have.sizeBytes !== want.sizeBytes) return `${have.sizeBytes} bytes instead of ${want.sizeBytes}`;
  if (want.sha256 !== null && have.sha256 !== want.sha256)
    return `SHA-256 ${have.sha256 ?? 'unknown'} instead of ${want.sha256}`;
  if (want.md5 !== null && have.md5 !== null && have.md5 !== want.md5)
    return `MD5 ${have.md5} instead of ${want.md5}`;
  return null;
}
