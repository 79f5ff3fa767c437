import { LocalStorage } from './local.js';
import { S3Storage } from './s3.js';
import type { ObjectStorage } from './types.js';

/** The storage variables as @pbx/config's `storageEnvSchema` parses them (checked there: S3 needs a bucket). */
export type StorageSettings = {
  STORAGE_BACKEND: 'local' | 's3';
  STORAGE_DIR: string;
  S3_BUCKET?: string | undefined;
  S3_ENDPOINT?: string | undefined;
  S3_REGION: string;
  S3_ACCESS_KEY_ID?: string | undefined;
  S3_SECRET_ACCESS_KEY?: string | undefined;
  S3_FORCE_PATH_STYLE: boolean;
};

export function createStorage(settings: StorageSettings): ObjectStorage {
  if (settings.STORAGE_BACKEND === 'local') return new LocalStorage(settings.STORAGE_DIR);
  if (!settings.S3_BUCKET) throw new Error('S3_BUCKET must be set when STORAGE_BACKEND is s3');
  return new S3Storage({
    bucket: settings.S3_BUCKET,
    endpoint: settings.S3_ENDPOINT,
    region: settings.S3_REGION,
    credentials:
      settings.S3_ACCESS_KEY_ID && settings.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: settings.S3_ACCESS_KEY_ID, secretAccessKey: settings.S3_SECRET_ACCESS_KEY }
        : undefined,
    forcePathStyle: settings.S3_FORCE_PATH_STYLE,
  });
}
