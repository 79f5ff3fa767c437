import { DelayedError, type Processor, type Queue, type Worker } from 'bullmq';

// Prometheus text format for the worker's few families (the API and controller keep their own small registries too).
const BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(',')}}`;

export type JobOutcome = 'completed' | 'failed' | 'retried' | 'stalled';

/** Jobs by queue and outcome, their durations, and (read at scrape time) queue depth and the oldest waiting job. */
export class WorkerMetrics {
  private readonly outcomes = new Map<string, { labels: Record<string, string>; n: number }>();
  private readonly durations = new Map<
    string,
    { labels: Record<string, string>; b: number[]; sum: number; n: number }
  >();
  private readonly queues: Queue[] = [];

  count(queue: string, name: string, outcome: JobOutcome): void {
    const key = `${queue}\0${name}\0${outcome}`;
    const s = this.outcomes.get(key) ?? { labels: { queue, name, outcome }, n: 0 };
    s.n++;
    this.outcomes.set(key, s);
  }

  get(queue: string, name: string, outcome: JobOutcome): number {
    return this.outcomes.get(`${queue}\0${name}\0${outcome}`)?.n ?? 0;
  }

  observe(queue: string, name: string, seconds: number): void {
    const key = `${queue}\0${name}`;
    const s = this.durations.get(key) ?? { labels: { queue, name }, b: BUCKETS.map(() => 0), sum: 0, n: 0 };
    BUCKETS.forEach((le, i) => {
      if (seconds <= le) s.b[i] = (s.b[i] ?? 0) + 1;
    });
    s.sum += seconds;
    s.n++;
    this.durations.set(key, s);
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
        this.observe(queue, job.name, (performance.now() - started) / 1000);
      }
    };
  }

  addQueue(queue: Queue): void {
    this.queues.push(queue);
  }

  async render(now = Date.now()): Promise<string> {
    const lines = [
      '# HELP pbx_jobs_total Jobs finished by this worker, by queue, job name and outcome (completed; failed: for good; retried: another attempt follows, including e-mails delayed for an SMTP retry; stalled: a worker died or froze holding it)',
      '# TYPE pbx_jobs_total counter',
      ...[...this.outcomes.values()].map((s) => `pbx_jobs_total${labelText(s.labels)} ${s.n}`),
      '# HELP pbx_job_duration_seconds Time one attempt of a job ran in this worker, by queue and job name',
      '# TYPE pbx_job_duration_seconds histogram',
    ];
    for (const s of this.durations.values()) {
      BUCKETS.forEach((le, i) =>
        lines.push(
          `pbx_job_duration_seconds_bucket${labelText({ ...s.labels, le: String(le) })} ${s.b[i] ?? 0}`,
        ),
      );
      lines.push(`pbx_job_duration_seconds_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.n}`);
      lines.push(`pbx_job_duration_seconds_sum${labelText(s.labels)} ${s.sum}`);
      lines.push(`pbx_job_duration_seconds_count${labelText(s.labels)} ${s.n}`);
    }
    const depth: string[] = [];
    const oldest: string[] = [];
    // Read from Redis: what every worker of the queue shares. A scrape with Redis down shows only the counters.
    await Promise.all(
      this.queues.map(async (queue) => {
        try {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
          for (const [state, n] of Object.entries(counts))
            depth.push(`pbx_queue_jobs${labelText({ queue: queue.name, state })} ${n}`);
          const [first] = await queue.getJobs(['wait', 'prioritized'], 0, 0, true);
          const age = first ? Math.max(0, (now - first.timestamp) / 1000) : 0;
          oldest.push(`pbx_queue_oldest_waiting_seconds${labelText({ queue: queue.name })} ${age}`);
        } catch {
          // Left out of this scrape.
        }
      }),
    );
    lines.push(
      '# HELP pbx_queue_jobs Jobs in each queue by state (all workers)',
      '# TYPE pbx_queue_jobs gauge',
      ...depth.sort(),
      '# HELP pbx_queue_oldest_waiting_seconds Age of the oldest job waiting to start (0: none waiting)',
      '# TYPE pbx_queue_oldest_waiting_seconds gauge',
      ...oldest.sort(),
    );
    return `${lines.join('\n')}\n`;
  }
}
