import { z } from 'zod';
import { env } from './fragments.js';

// An empty value (compose's `${S3_BUCKET:-}`, a bare `S3_BUCKET=` line in .env) means unset.
const unsetIfEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/**
 * Where the durable copies of recordings, voicemail audio and greetings live (docs/media.md, "Storage"): a local
 * directory (default) or an S3-compatible bucket. Spread into an app's schema, then pass it to refineStorageEnv.
 */
export const storageEnv = {
  STORAGE_BACKEND: z.enum(['local', 's3'], { message: 'expected local or s3' }).default('local'),
  // The local backend's directory (shared by the API and worker hosts, like MEDIA_DIR).
  STORAGE_DIR: env.dir('/var/lib/pbx/storage'),
  S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'expected a bucket name: 3-63 lowercase letters, digits, . -',
    )
    .optional(),
  // Unset: AWS's own endpoint for S3_REGION. Set for MinIO, Ceph, R2, Wasabi, …
  S3_ENDPOINT: unsetIfEmpty(env.url(['http', 'https'])),
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, 'expected a region such as us-east-1')
    .default('us-east-1'),
  // Both or neither; neither means the SDK's default chain (AWS_* variables, instance or task role).
  S3_ACCESS_KEY_ID: unsetIfEmpty(z.string().max(256)),
  S3_SECRET_ACCESS_KEY: unsetIfEmpty(z.string().max(256)),
  // Bucket in the path (http://endpoint/bucket/key) rather than the host name: what most self-hosted servers need.
  S3_FORCE_PATH_STYLE: env.bool(false),
};

type StorageEnvShape = { [K in keyof typeof storageEnv]: z.infer<(typeof storageEnv)[K]> };

/** The cross-field checks: S3 needs a bucket; keys come in pairs. Apply last (refined schemas cannot be extended). */
export function refineStorageEnv<S extends z.ZodObject>(schema: S): S {
  return schema.superRefine((cfg, ctx) => {
    const c = cfg as unknown as StorageEnvShape;
    if (c.STORAGE_BACKEND === 's3' && !c.S3_BUCKET)
      ctx.addIssue({
        code: 'custom',
        path: ['S3_BUCKET'],
        message: 'must be set when STORAGE_BACKEND is s3',
      });
    if (Boolean(c.S3_ACCESS_KEY_ID) !== Boolean(c.S3_SECRET_ACCESS_KEY))
      ctx.addIssue({
        code: 'custom',
        path: [c.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'],
        message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together or not at all',
      });
  });
}
