import type { Db } from '@pbx/db';
import { sweepExpired } from '@pbx/domain';
import { jobs } from '@pbx/jobs';
import type { Job } from 'bullmq';

export function maintenanceSweepProcessor(prisma: Db) {
  return async (job: Job): Promise<{ sessions: number; idempotencyRecords: number }> => {
    const payload = jobs.maintenanceSweep.payload.parse(job.data);
    return sweepExpired({ prisma, now: new Date(), olderThanHours: payload.olderThanHours });
  };
}
