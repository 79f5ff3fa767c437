import { Redis } from 'ioredis';

/** BullMQ needs `maxRetriesPerRequest: null` on connections used by workers (blocking commands). */
export function createJobsConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
