import { env, infraEnvSchema, parseEnv, refineStorageEnv, storageEnv, z } from '@pbx/config';

export const workerConfigSchema = refineStorageEnv(
  infraEnvSchema.extend({
    // Jobs of one queue run at once in this process (each queue has its own setting; the database pool follows).
    EMAIL_CONCURRENCY: env.int(16, 1, 256),
    RECORDING_CONCURRENCY: env.int(2, 1, 64),
    // GET /metrics (Prometheus) and /healthz: the worker's only HTTP, for the scraper on the internal network.
    WORKER_METRICS_HOST: env.host('127.0.0.1'),
    // 0: any free port (tests that start several workers).
    WORKER_METRICS_PORT: env.int(9464, 0, 65_535),
    // On SIGTERM/SIGINT, how long jobs in flight may go on; the rest are abandoned and another worker takes them after
    // JOB_LOCK_MS. Keep it below the orchestrator's stop timeout (compose: stop_grace_period).
    WORKER_SHUTDOWN_GRACE_MS: env.int(30_000, 0, 600_000),
    // A job whose worker stops renewing its lock this long (killed, frozen) is handed to another worker.
    JOB_LOCK_MS: env.int(30_000, 2_000, 600_000),
    // How often recordings whose RECORD_STOP was lost are looked for (from their CDR and the raw files).
    RECORDING_RECONCILE_EVERY_MS: env.int(60_000, 100, 3_600_000),
    // How often the housekeeping sweep runs.
    SWEEP_EVERY_MINUTES: env.int(60, 1, 24 * 60),
    // How often greetings and voicemail messages missing from MEDIA_DIR are put back from the storage, and how many
    // files one run fetches at most (a run with more to do is followed by another at once).
    MEDIA_REFILL_EVERY_MINUTES: env.int(15, 1, 24 * 60),
    MEDIA_REFILL_BATCH: env.int(100, 1, 10_000),
    // Where the controller has FreeSWITCH write call recordings; purged tenants' files are removed here.
    RECORDINGS_DIR: env.dir('/var/lib/pbx/recordings'),
    // Prompts, greetings and voicemail audio (docs/media.md); a purged tenant's tenants/<tenantId> is removed.
    MEDIA_DIR: env.dir('/var/lib/pbx/media'),
    SMTP_URL: env.url(['smtp', 'smtps'], 'smtp://127.0.0.1:1025'),
    // From: of voicemail e-mails when the tenant has no sender of its own (the display name is the tenant's).
    MAIL_FROM: z.email({ message: 'expected an e-mail address' }).default('voicemail@pbx.local'),
    // The portal's public address, for the links in e-mails.
    PORTAL_URL: env.url(['http', 'https'], 'http://localhost:8080'),
    // Audio larger than this is not attached; the e-mail carries the portal link only.
    VOICEMAIL_EMAIL_MAX_ATTACHMENT_BYTES: env.int(10 * 1024 * 1024, 0, 50 * 1024 * 1024),
    // Temporary SMTP failures: this many attempts in all, waiting base × 2^(n-1) between them (capped at 1 h).
    VOICEMAIL_EMAIL_ATTEMPTS: env.int(8, 1, 50),
    VOICEMAIL_EMAIL_RETRY_BASE_MS: env.int(30_000, 10, 3_600_000),
    // How often queued e-mails in the database (resends from the API) are handed to the queue.
    VOICEMAIL_OUTBOX_EVERY_MS: env.int(5_000, 100, 600_000),
    // SMTP connection/greeting/socket timeouts.
    SMTP_TIMEOUT_MS: env.int(30_000, 100, 600_000),
    // Connections of the one nodemailer pool every e-mail job shares (a connection sends one message at a time;
    // the jobs beyond it wait for a free one). Capped at EMAIL_CONCURRENCY: more would never be used. A distant
    // relay needs as many as e-mails should be in flight; a relay next door does as well with a few.
    SMTP_POOL_SIZE: env.int(16, 1, 64),
    // Where processed recordings (and voicemail audio, greetings) are kept: STORAGE_BACKEND, STORAGE_DIR, S3_*.
    ...storageEnv,
  }),
);

export type WorkerConfig = z.infer<typeof workerConfigSchema>;

/**
 * Database connections the worker needs: one per job that may run at once (each e-mail holds one for its claim and
 * its record, each recording for its writes), plus the sweep and the scheduler's scans. Fewer would make jobs queue
 * for a connection while holding their BullMQ lock.
 */
export const workerDbPoolSize = (config: Pick<WorkerConfig, 'EMAIL_CONCURRENCY' | 'RECORDING_CONCURRENCY'>) =>
  config.EMAIL_CONCURRENCY + config.RECORDING_CONCURRENCY + 2;

/** The SMTP connections the worker opens at most: SMTP_POOL_SIZE, but never more than e-mail jobs run at once. */
export const smtpPoolSize = (config: Pick<WorkerConfig, 'EMAIL_CONCURRENCY' | 'SMTP_POOL_SIZE'>) =>
  Math.min(config.SMTP_POOL_SIZE, config.EMAIL_CONCURRENCY);

export function loadWorkerConfig(
  source: Record<string, string | undefined> = process.env,
): Readonly<WorkerConfig> {
  return parseEnv(workerConfigSchema, source);
}
