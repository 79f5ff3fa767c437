import { z } from 'zod';
import { Timestamp } from './common.js';

// The background jobs platform admins can inspect (GET /v1/jobs/failed). The worker runs them (apps/worker);
// @pbx/jobs defines them and checks that these queue names are its own.

export const JobQueueNameSchema = z.enum(['maintenance', 'voicemail-email', 'recordings']);
export type JobQueueName = z.infer<typeof JobQueueNameSchema>;

export const FailedJobQuerySchema = z.strictObject({
  queue: JobQueueNameSchema.optional(),
  /** Newest first; at most this many per queue. */
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type FailedJobQuery = z.infer<typeof FailedJobQuerySchema>;

export const FailedJobSchema = z.object({
  queue: JobQueueNameSchema,
  id: z.string(),
  name: z.string(),
  /** The job's payload (ids and paths, never file contents). */
  data: z.unknown(),
  /** The last error, as the processor threw it. */
  failedReason: z.string(),
  /** Attempts made, the last included. */
  attemptsMade: z.number().int().nonnegative(),
  createdAt: Timestamp,
  failedAt: Timestamp.nullable(),
});
export type FailedJob = z.infer<typeof FailedJobSchema>;
export const FailedJobListSchema = z.object({ items: z.array(FailedJobSchema) });
export type FailedJobList = z.infer<typeof FailedJobListSchema>;
