import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobs, type JobKey, type JobPayload } from './definitions.js';

export type JobQueues = {
  /**
   * Validates the payload and enqueues it. `jobId` makes the enqueue
   * idempotent: BullMQ ignores a second job with an id it already holds.
   */
  enqueue: <K extends JobKey>(key: K, payload: JobPayload<K>, jobId: string) => Promise<void>;
  queue: (key: JobKey) => Queue;
  close: () => Promise<void>;
};

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
      const def = jobs[key];
      const data = def.payload.parse(payload);
      // BullMQ job ids may not contain ':' (its key separator).
      await queue(key).add(def.name, data, { ...def.options, jobId: jobId.replaceAll(':', '_') });
    },
    close: async () => {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
