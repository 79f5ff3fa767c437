import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobs, type JobKey, type JobPayload } from './definitions.js';

/** One job to enqueue: its definition's key, a payload of that definition, and the id that makes it idempotent. */
export type JobRequest = { [K in JobKey]: { key: K; payload: JobPayload<K>; jobId: string } }[JobKey];

export type JobQueues = {
  /**
   * Validates the payload and enqueues it. `jobId` makes the enqueue
   * idempotent: BullMQ ignores a second job with an id it already holds.
   */
  enqueue: <K extends JobKey>(key: K, payload: JobPayload<K>, jobId: string) => Promise<void>;
  /** The same for many jobs, one round trip per queue (the scans that enqueue hundreds at once). */
  enqueueMany: (requests: readonly JobRequest[]) => Promise<void>;
  queue: (key: JobKey) => Queue;
  close: () => Promise<void>;
};

/** What BullMQ is given for one request: every enqueue, single or bulk, is built here. */
function bulkJob(key: JobKey, payload: unknown, jobId: string) {
  const def = jobs[key];
  // BullMQ job ids may not contain ':' (its key separator).
  return {
    name: def.name,
    data: def.payload.parse(payload),
    opts: { ...def.options, jobId: jobId.replaceAll(':', '_') },
  };
}

export function createJobQueues(options: { connection: Redis; prefix: string }): JobQueues {
  const queues = new Map<string, Queue>();
  const queue = (key: JobKey): Queue => {
    const name = jobs[key].queue;
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: options.connection, prefix: `${options.prefix}:bull` });
      queues.set(name, q);
    }
    return q;
  };
  return {
    queue,
    enqueue: async (key, payload, jobId) => {
      const job = bulkJob(key, payload, jobId);
      await queue(key).add(job.name, job.data, job.opts);
    },
    enqueueMany: async (requests) => {
      const byQueue = new Map<Queue, ReturnType<typeof bulkJob>[]>();
      for (const r of requests) {
        const q = queue(r.key);
        const list = byQueue.get(q) ?? [];
        list.push(bulkJob(r.key, r.payload, r.jobId));
        byQueue.set(q, list);
      }
      await Promise.all([...byQueue].map(([q, list]) => q.addBulk(list)));
    },
    close: async () => {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
