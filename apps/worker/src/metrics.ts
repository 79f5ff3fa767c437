import { METRICS_CONTENT_TYPE, MetricsRegistry } from '@pbx/metrics';
import { DelayedError, type Processor, type Queue, type Worker } from 'bullmq';

const BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;

export type JobOutcome = 'completed' | 'failed' | 'retried' | 'stalled';

/**
 * Jobs by queue and outcome, their durations, and (read from Redis at scrape time) queue depth and the oldest
 * waiting job; prom-client through @pbx/metrics.
 */
export class WorkerMetrics {
  readonly registry = new MetricsRegistry();
  readonly contentType = METRICS_CONTENT_TYPE;
  private readonly jobs = this.registry.counter(
    'pbx_jobs_total',
    'Jobs finished by this worker, by queue, job name and outcome (completed; failed: for good; retried: another attempt follows, including e-mails delayed for an SMTP retry; stalled: a worker died or froze holding it)',
    ['queue', 'name', 'outcome'],
  );
  private readonly durations = this.registry.histogram(
    'pbx_job_duration_seconds',
    'Time one attempt of a job ran in this worker, by queue and job name',
    ['queue', 'name'],
    BUCKETS,
  );
  private readonly depth = this.registry.gauge(
    'pbx_queue_jobs',
    'Jobs in each queue by state (all workers)',
    ['queue', 'state'],
  );
  private readonly oldest = this.registry.gauge(
    'pbx_queue_oldest_waiting_seconds',
    'Age of the oldest job waiting to start (0: none waiting)',
    ['queue'],
  );

  private readonly refills = this.registry.counter(
    'pbx_media_refill_files_total',
    'Files missing from MEDIA_DIR the media refill tried to put back from the storage, by kind (greeting, voicemail-message) and outcome (refilled; missing-object: no stored copy either; failed: storage trouble, a copy not matching, a misplaced row)',
    ['kind', 'outcome'],
  );

  countRefill(kind: string, outcome: string): void {
    this.refills.inc({ kind, outcome });
  }

  count(queue: string, name: string, outcome: JobOutcome): void {
    this.jobs.inc({ queue, name, outcome });
  }

  /** Counts every job a worker finishes (stalled jobs by queue only: BullMQ names just the id). */
  watch(worker: Worker): void {
    const q = worker.name;
    worker.on('completed', (job) => this.count(q, job.name, 'completed'));
    // BullMQ sets finishedOn only when the job failed for good; otherwise it goes back for another attempt.
    worker.on('failed', (job) => this.count(q, job?.name ?? '', job?.finishedOn ? 'failed' : 'retried'));
    worker.on('stalled', () => this.count(q, '', 'stalled'));
  }

  /** The processor, timed; a job that delays itself for a retry (DelayedError "retry …") counts as retried. */
  timed(queue: string, processor: Processor): Processor {
    return async (job, token) => {
      const started = performance.now();
      try {
        return (await processor(job, token)) as unknown;
      } catch (error) {
        if (error instanceof DelayedError && error.message.startsWith('retry'))
          this.count(queue, job.name, 'retried');
        throw error;
      } finally {
        this.durations.observe({ queue, name: job.name }, (performance.now() - started) / 1000);
      }
    };
  }

  /** Depth and oldest waiting job of a queue, read from Redis at each scrape (what every worker of it shares). */
  addQueue(queue: Queue): void {
    const name = queue.name;
    this.registry.onCollect(async () => {
      try {
        const counts = await queue.getJobCounts(...STATES);
        for (const [state, n] of Object.entries(counts)) this.depth.set({ queue: name, state }, n);
        const [first] = await queue.getJobs(['wait', 'prioritized'], 0, 0, true);
        this.oldest.set({ queue: name }, first ? Math.max(0, (Date.now() - first.timestamp) / 1000) : 0);
      } catch {
        // Redis down: the queue is left out of this scrape rather than shown with stale numbers.
        for (const state of STATES) this.depth.remove({ queue: name, state });
        this.oldest.remove({ queue: name });
      }
    });
  }

  render(): Promise<string> {
    return this.registry.render();
  }
}
