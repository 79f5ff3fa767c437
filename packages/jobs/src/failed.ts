import { JobQueueNameSchema, type FailedJob, type JobQueueName } from '@pbx/contracts';
import type { Redis } from 'ioredis';
import type { jobs } from './definitions.js';

// Does not compile when contracts' queue names and the job definitions' differ.
type DefinedQueue = (typeof jobs)[keyof typeof jobs]['queue'];
const sameQueues: [DefinedQueue] extends [JobQueueName]
  ? [JobQueueName] extends [DefinedQueue]
    ? true
    : never
  : never = true;
void sameQueues;

/**
 * Failed jobs, newest first, read straight from Redis so the API need not load BullMQ (its bundle test checks).
 * This module alone knows BullMQ's layout: `<prefix>:bull:<queue>:failed` is a sorted set of job ids by failure
 * time, `<prefix>:bull:<queue>:<id>` the job's hash (`atm` = attempts made). apps/api/test/failed-jobs.test.ts checks it
 * against jobs BullMQ itself failed.
 */
export async function listFailedJobs(
  redis: Redis,
  redisPrefix: string,
  query: { queue?: JobQueueName | undefined; limit: number },
): Promise<FailedJob[]> {
  const queues = query.queue ? [query.queue] : JobQueueNameSchema.options;
  const out: FailedJob[] = [];
  for (const queue of queues) {
    const base = `${redisPrefix}:bull:${queue}`;
    const ids = await redis.zrevrange(`${base}:failed`, 0, query.limit - 1);
    if (ids.length === 0) continue;
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(`${base}:${id}`);
    const hashes = (await pipeline.exec()) ?? [];
    ids.forEach((id, i) => {
      const h = hashes[i]?.[1] as Record<string, string> | undefined;
      // Removed meanwhile (removeOnFail): nothing to show.
      if (!h?.name) return;
      out.push({
        queue,
        id,
        name: h.name,
        data: parseJson(h.data),
        failedReason: h.failedReason ?? '',
        attemptsMade: Number(h.atm ?? h.attemptsMade ?? 0),
        createdAt: new Date(Number(h.timestamp ?? 0)).toISOString(),
        failedAt: h.finishedOn ? new Date(Number(h.finishedOn)).toISOString() : null,
      });
    });
  }
  return out.sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''));
}

function parseJson(text: string | undefined): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return text;
  }
}
