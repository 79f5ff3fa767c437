// A real S3-compatible server for tests (s3rver: pure JavaScript, keeps objects in a directory), on a free port.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';
import type { StorageSettings } from '../src/create.js';

type Server = { run(): Promise<AddressInfo>; close(): Promise<void> };

export type TestS3 = {
  endpoint: string;
  bucket: string;
  /** Settings for createStorage / the apps' environment. */
  settings: StorageSettings;
  env: Record<string, string>;
  close(): Promise<void>;
};

/** `port` 0 (default) takes a free one; a fixed port lets a test bring "the same" server back after an outage. */
export async function startTestS3(bucket = 'pbx-test', port = 0): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new (S3rver as new (options: object) => Server)({
    address: '127.0.0.1',
    port,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const env = {
    STORAGE_BACKEND: 's3',
    S3_BUCKET: bucket,
    S3_ENDPOINT: endpoint,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
  };
  return {
    endpoint,
    bucket,
    env,
    settings: {
      STORAGE_BACKEND: 's3',
      STORAGE_DIR: directory,
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: true,
    },
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
