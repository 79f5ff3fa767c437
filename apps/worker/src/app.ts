import type { Db } from '@pbx/db';
import { systemActor, type PlatformContext } from '@pbx/domain';
import { createJobQueues, jobs } from '@pbx/jobs';
import { mediaLayout } from '@pbx/media';
import { redisNotificationPublisher } from '@pbx/jobs/notifications';
import { createStorage, type ObjectStorage } from '@pbx/storage';
import { Worker, type Processor } from 'bullmq';
import type { Redis } from 'ioredis';
import { createTransport } from 'nodemailer';
import { setTimeout as delay } from 'node:timers/promises';
import { smtpPoolSize, type WorkerConfig } from './config.js';
import { WorkerMetrics } from './metrics.js';
import { maintenanceSweepProcessor } from './processors/maintenance-sweep.js';
import { mediaRefillProcessor } from './processors/media-refill.js';
import { recordingProcessor } from './processors/recording-process.js';
import { recordingReconcileProcessor } from './processors/recording-reconcile.js';
import { voicemailEmailProcessor } from './processors/voicemail-email.js';
import { voicemailOutboxProcessor } from './processors/voicemail-outbox.js';
import { voicemailStoreProcessor } from './processors/voicemail-store.js';

export type WorkerDeps = {
  config: Readonly<WorkerConfig>;
  prisma: Db;
  /** Must be created with maxRetriesPerRequest: null (createJobsConnection). */
  connection: Redis;
  /** Defaults to the one the config names (STORAGE_BACKEND); closed with the worker either way. */
  storage?: ObjectStorage;
  log?: (line: string) => void;
};

export type WorkerApp = {
  workers: Worker[];
  metrics: WorkerMetrics;
  /**
   * Stops taking jobs and waits for the ones in flight; after `graceMs` (default: as long as they take) the rest
   * are abandoned: their locks lapse and BullMQ hands them to another worker after JOB_LOCK_MS.
   */
  close: (graceMs?: number) => Promise<void>;
};

/** Builds the job processors. Only the worker process runs them; API and controller only enqueue. */
export async function buildWorker(deps: WorkerDeps): Promise<WorkerApp> {
  const { config } = deps;
  const prefix = `${config.REDIS_PREFIX}:bull`;
  const log = deps.log ?? (() => undefined);
  const storage = deps.storage ?? createStorage(config);
  const ctx: PlatformContext = {
    db: deps.prisma,
    actor: systemActor,
    notify: redisNotificationPublisher(deps.connection, config.REDIS_PREFIX, () => ({
      error: (_obj, msg) => log(msg),
    })),
  };

  // Every enqueue (the scans', a refill's continuation) goes through @pbx/jobs: payload checked, options and id
  // made one way; the Queue objects themselves are used for the schedulers and metrics.
  const queues = createJobQueues({ connection: deps.connection, prefix: config.REDIS_PREFIX });
  const metrics = new WorkerMetrics();
  const worker = (queue: string, processor: Processor, concurrency: number) => {
    const w = new Worker(queue, metrics.timed(queue, processor), {
      connection: deps.connection,
      prefix,
      concurrency,
      lockDuration: config.JOB_LOCK_MS,
      // Stalled jobs are looked for as often as a lock lasts (BullMQ needs two looks to move one back).
      stalledInterval: config.JOB_LOCK_MS,
      // A job whose worker died is handed over at most twice more, then fails (listed for admins).
      maxStalledCount: 2,
    });
    w.on('failed', (job, error) => log(`${queue} ${job?.id ?? ''} failed: ${error.message}`));
    w.on('error', (error) => log(`${queue} worker error: ${error.message}`));
    metrics.watch(w);
    return w;
  };

  // One queue, two job names, one at a time: the housekeeping sweep and the media volume's refill from the storage.
  const maintenance = queues.queue('maintenanceSweep');
  const runSweep = maintenanceSweepProcessor(
    ctx,
    { recordingsDir: config.RECORDINGS_DIR, mediaDir: config.MEDIA_DIR, storage },
    log,
  );
  const refillMedia = mediaRefillProcessor({
    ctx,
    layout: mediaLayout(config.MEDIA_DIR),
    storage,
    enqueue: queues.enqueue,
    batch: config.MEDIA_REFILL_BATCH,
    metrics,
    log,
  });
  const sweep = worker(
    jobs.maintenanceSweep.queue,
    (job) => (job.name === jobs.mediaRefill.name ? refillMedia(job) : runSweep(job)),
    1,
  );
  sweep.on('completed', (job, result: unknown) =>
    log(`${job.name} ${job.id ?? ''} done: ${JSON.stringify(result)}`),
  );

  const transport = createTransport({
    url: config.SMTP_URL,
    pool: true,
    maxConnections: smtpPoolSize(config),
    connectionTimeout: config.SMTP_TIMEOUT_MS,
    greetingTimeout: config.SMTP_TIMEOUT_MS,
    socketTimeout: config.SMTP_TIMEOUT_MS,
  });
  const emailQueue = queues.queue('voicemailEmail');
  const sendEmail = voicemailEmailProcessor({ ctx, transport, storage, config, log });
  const storeMessage = voicemailStoreProcessor({ ctx, storage });
  const outbox = voicemailOutboxProcessor(deps.prisma, queues.enqueueMany);
  // One queue, three job names: the e-mails, the messages' durable copies, and the outbox scan that enqueues both.
  const email = worker(
    jobs.voicemailEmail.queue,
    (job, token) =>
      job.name === jobs.voicemailOutbox.name
        ? outbox()
        : job.name === jobs.voicemailStore.name
          ? storeMessage(job)
          : sendEmail(job, token),
    config.EMAIL_CONCURRENCY,
  );
  await emailQueue.upsertJobScheduler(
    'voicemail-outbox',
    { every: config.VOICEMAIL_OUTBOX_EVERY_MS },
    {
      name: jobs.voicemailOutbox.name,
      data: {},
      opts: { ...jobs.voicemailOutbox.options, removeOnComplete: 100, removeOnFail: 100 },
    },
  );

  const recordingQueue = queues.queue('recordingProcess');
  const processRecording = recordingProcessor({
    ctx,
    storage,
    recordingsDir: config.RECORDINGS_DIR,
  });
  const reconcile = recordingReconcileProcessor(ctx, queues.enqueueMany, config.RECORDINGS_DIR);
  // One queue, two job names: the recordings, and the scan for recordings whose RECORD_STOP was lost.
  const recordings = worker(
    jobs.recordingProcess.queue,
    (job) => (job.name === jobs.recordingReconcile.name ? reconcile() : processRecording(job)),
    config.RECORDING_CONCURRENCY,
  );
  await recordingQueue.upsertJobScheduler(
    'recording-reconcile',
    { every: config.RECORDING_RECONCILE_EVERY_MS },
    {
      name: jobs.recordingReconcile.name,
      data: {},
      opts: { ...jobs.recordingReconcile.options, removeOnComplete: 100, removeOnFail: 100 },
    },
  );

  // A scheduler (not a plain repeat) so restarts and several workers keep exactly one schedule.
  await maintenance.upsertJobScheduler(
    'maintenance-sweep',
    { every: config.SWEEP_EVERY_MINUTES * 60_000 },
    { name: jobs.maintenanceSweep.name, data: { olderThanHours: 24 }, opts: jobs.maintenanceSweep.options },
  );
  await maintenance.upsertJobScheduler(
    'media-refill',
    { every: config.MEDIA_REFILL_EVERY_MINUTES * 60_000 },
    {
      name: jobs.mediaRefill.name,
      data: {},
      opts: { ...jobs.mediaRefill.options, removeOnComplete: 100, removeOnFail: 100 },
    },
  );

  const workers = [sweep, email, recordings];
  for (const q of [maintenance, emailQueue, recordingQueue]) metrics.addQueue(q);
  return {
    workers,
    metrics,
    close: async (graceMs) => {
      // Worker.close() waits for the jobs in flight to finish; no new job is taken meanwhile.
      const finished = Promise.all(workers.map((w) => w.close()));
      if (graceMs === undefined) await finished;
      else if (
        (await Promise.race([finished.then(() => true), delay(graceMs, false, { ref: false })])) === false
      ) {
        log(`jobs still running after ${graceMs} ms: abandoned, another worker takes them after JOB_LOCK_MS`);
        await Promise.all(workers.map((w) => w.close(true)));
      }
      await queues.close();
      transport.close();
      storage.close();
    },
  };
}
