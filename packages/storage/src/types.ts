import type { Readable } from 'node:stream';
import type { Digest } from './digest.js';

/** What HEAD says about a stored object: enough to check a copy against the file it was made from. */
export type StoredObject = {
  key: string;
  sizeBytes: number;
  /** Hex MD5 of the content when the backend knows it (an S3 ETag of a single-part upload; a local file: null). */
  md5: string | null;
  /** Hex SHA-256 of the content: computed for a local file, the `sha256` metadata we set on an S3 upload. */
  sha256: string | null;
};

/**
 * Where the durable copies of recordings, voicemail audio and greetings live. Keys are relative,
 * `/`-separated paths (see keys.ts); every backend behaves the same (test/storage-contract.test.ts).
 */
export interface ObjectStorage {
  /** For logs and errors: "local directory /x" or "S3 bucket b at https://…". */
  readonly description: string;
  /**
   * Stores a local file under `key` (replacing any object there); a reader never sees half of it. Returns the size
   * and digests of the bytes it read from `file` and sent (the MD5 only where HEAD reports one), so the caller need
   * not read the file again to check the copy (storeVerified compares them with HEAD).
   */
  putFile(key: string, file: string, contentType: string): Promise<Digest>;
  head(key: string): Promise<StoredObject | null>;
  /** The content as a stream, or null when there is no such object. */
  get(key: string): Promise<{ body: Readable; sizeBytes: number } | null>;
  /** Removes the object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Every key starting with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes every object under `prefix` (a tenant's whole tree); returns how many went. */
  deletePrefix(prefix: string): Promise<number>;
  close(): void;
}
