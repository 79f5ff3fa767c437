import type { Db } from '@pbx/db';
import { jobs } from '@pbx/jobs';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WorkerConfig } from './config.js';
import { maintenanceSweepProcessor } from './processors/maintenance-sweep.js';

export type WorkerDeps = {
  config: Pick<
    WorkerConfig,
    'REDIS_PREFIX' | 'WORKER_CONCURRENCY' | 'SWEEP_EVERY_MINUTES' | 'RECORDINGS_DIR' | 'MEDIA_DIR'
  >;
  prisma: Db;
  /** Must be created with maxRetriesPerRequest: null (createJobsConnection). */
  connection: Redis;
  log?: (line: string) => void;
};

export type WorkerApp = { workers: Worker[]; close: () => Promise<void> };

/** Builds the job processors. Only the worker process runs them; API and controller only enqueue. */
export async function buildWorker(deps: WorkerDeps): Promise<WorkerApp> {
  const prefix = `${deps.config.REDIS_PREFIX}:bull`;
  const log = deps.log ?? (() => undefined);

  const sweep = new Worker(
    jobs.maintenanceSweep.queue,
    maintenanceSweepProcessor(
      deps.prisma,
      { recordingsDir: deps.config.RECORDINGS_DIR, mediaDir: deps.config.MEDIA_DIR },
      log,
    ),
    {
      connection: deps.connection,
      prefix,
      concurrency: 1,
    },
  );
  sweep.on('completed', (job, result: unknown) =>
    log(`sweep ${job.id ?? ''} done: ${JSON.stringify(result)}`),
  );
  sweep.on('failed', (job, error) => log(`sweep ${job?.id ?? ''} failed: ${error.message}`));

  // A scheduler (not a plain repeat) so restarts and several workers keep exactly one schedule.
  const maintenance = new Queue(jobs.maintenanceSweep.queue, { connection: deps.connection, prefix });
  await maintenance.upsertJobScheduler(
    'maintenance-sweep',
    { every: deps.config.SWEEP_EVERY_MINUTES * 60_000 },
    { name: jobs.maintenanceSweep.name, data: { olderThanHours: 24 }, opts: jobs.maintenanceSweep.options },
  );

  const workers = [sweep];
  return {
    workers,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await maintenance.close();
    },
  };
}
