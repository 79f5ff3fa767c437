export type { ObjectStorage, StoredObject } from './types.js';
export { assertKey, assertPrefix, CONTENT_TYPES, storageKeys } from './keys.js';
export { digestFile, type Digest, type FileDigest } from './digest.js';
export { LocalStorage } from './local.js';
export { S3Storage, type S3Settings } from './s3.js';
export { fetchVerified, storeVerified, StorageVerifyError } from './verify.js';
export { createStorage, type StorageSettings } from './create.js';
