import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { digestFile, type FileDigest } from './digest.js';
import { assertKey, assertPrefix } from './keys.js';
import type { ObjectStorage, StoredObject } from './types.js';

export type S3Settings = {
  bucket: string;
  /** Unset: AWS's own endpoint for the region. */
  endpoint?: string | undefined;
  region: string;
  /** Unset: the SDK's default chain (environment, instance or task role). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (MinIO, Ceph, most self-hosted). */
  forcePathStyle: boolean;
};

const isMissing = (error: unknown) =>
  error instanceof NotFound ||
  error instanceof NoSuchKey ||
  (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode === 404;

/** A single-part upload's ETag is the content's MD5 (a multipart or SSE-KMS one is not, and is ignored). */
const md5OfEtag = (etag: string | undefined) => {
  const plain = etag?.replaceAll('"', '').toLowerCase();
  return plain && /^[0-9a-f]{32}$/.test(plain) ? plain : null;
};

/** An S3-compatible bucket through `@aws-sdk/client-s3`. */
export class S3Storage implements ObjectStorage {
  readonly description: string;
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(settings: S3Settings) {
    this.bucket = settings.bucket;
    this.description = `S3 bucket ${settings.bucket}${settings.endpoint ? ` at ${settings.endpoint}` : ''}`;
    this.client = new S3Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.credentials ? { credentials: settings.credentials } : {}),
      forcePathStyle: settings.forcePathStyle,
      // Checksums only where the API requires them: many S3-compatible servers reject the SDK's default
      // CRC32 trailers (aws-chunked bodies). Uploads carry Content-MD5 instead, which every server checks.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      // A storage that stops answering must fail, not hang: a caller recording a greeting waits on this upload.
      // requestTimeout is the socket's idle time, so a long upload that keeps moving is not cut.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    });
  }

  async putFile(key: string, file: string, contentType: string): Promise<FileDigest> {
    assertKey(key);
    // Content-MD5 and the metadata go in the request's headers, before the body: the one read besides the upload's.
    const digest = await digestFile(file);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: createReadStream(file),
        ContentLength: digest.sizeBytes,
        ContentType: contentType,
        // The server refuses a body that does not match (BadDigest); the metadata lets HEAD prove which content is stored.
        ContentMD5: Buffer.from(digest.md5, 'hex').toString('base64'),
        Metadata: { sha256: digest.sha256 },
      }),
    );
    return digest;
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: assertKey(key) }));
      return {
        key,
        sizeBytes: out.ContentLength ?? 0,
        md5: md5OfEtag(out.ETag),
        sha256: out.Metadata?.sha256 ?? null,
      };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async get(key: string): Promise<{ body: Readable; sizeBytes: number } | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: assertKey(key) }));
      // In node the body is an http.IncomingMessage: streamed as it arrives, never buffered whole.
      if (!(out.Body instanceof Readable)) throw new Error(`no body for ${key}`);
      return { body: out.Body, sizeBytes: out.ContentLength ?? 0 };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: assertKey(key) }));
  }

  async list(prefix: string): Promise<string[]> {
    assertPrefix(prefix);
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.bucket, Prefix: prefix },
    ))
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    return keys.sort();
  }

  async deletePrefix(prefix: string): Promise<number> {
    // One DELETE per object: DeleteObjects needs a request checksum that not every S3-compatible server
    // accepts, and a tenant purge is rare enough for the difference not to matter.
    const keys = await this.list(prefix);
    for (const key of keys) await this.delete(key);
    return keys.length;
  }

  close(): void {
    this.client.destroy();
  }
}
