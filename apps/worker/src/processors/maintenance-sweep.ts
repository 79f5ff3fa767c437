import type { Db } from '@pbx/db';
import { purgeDueTenants, sweepExpired } from '@pbx/domain';
import { jobs } from '@pbx/jobs';
import type { Job } from 'bullmq';

export type SweepResult = Awaited<ReturnType<typeof sweepExpired>> & {
  tenantsPurged: number;
  tenantPurgesFailed: number;
};

/**
 * Expired rows, then tenants whose deletion grace period is over. A purged tenant was suspended (and
 * the controllers told) when its deletion was requested, so the purge has nothing left to announce.
 */
export function maintenanceSweepProcessor(
  prisma: Db,
  dirs: { recordingsDir: string; mediaDir: string },
  log: (line: string) => void,
) {
  return async (job: Job): Promise<SweepResult> => {
    const payload = jobs.maintenanceSweep.payload.parse(job.data);
    const now = new Date();
    const expired = await sweepExpired({ prisma, now, olderThanHours: payload.olderThanHours });
    const tenants = await purgeDueTenants({
      prisma,
      now,
      ...dirs,
      notify: () => Promise.resolve(),
      log,
    });
    return { ...expired, tenantsPurged: tenants.purged, tenantPurgesFailed: tenants.failed };
  };
}
