import { env, infraEnvSchema, parseEnv, type z } from '@pbx/config';

export const workerConfigSchema = infraEnvSchema.extend({
  WORKER_CONCURRENCY: env.int(4, 1, 64),
  // How often the housekeeping sweep runs.
  SWEEP_EVERY_MINUTES: env.int(60, 1, 24 * 60),
  // Where the controller has FreeSWITCH write call recordings; purged tenants' files are removed here.
  RECORDINGS_DIR: env.dir('/var/lib/pbx/recordings'),
  // Prompts, greetings and voicemail audio (docs/media.md); a purged tenant's tenants/<tenantId> is removed.
  MEDIA_DIR: env.dir('/var/lib/pbx/media'),
  SMTP_URL: env.url(['smtp', 'smtps'], 'smtp://127.0.0.1:1025'),
});

export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export function loadWorkerConfig(
  source: Record<string, string | undefined> = process.env,
): Readonly<WorkerConfig> {
  return parseEnv(workerConfigSchema, source);
}
