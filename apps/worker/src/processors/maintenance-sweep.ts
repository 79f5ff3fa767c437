import {
  applyRetention,
  purgeDueTenants,
  removeOrphanVoicemailCopies,
  sweepExpired,
  type PlatformContext,
} from '@pbx/domain';
import { jobs } from '@pbx/jobs';
import { sweepTempFiles } from '@pbx/media';
import type { ObjectStorage } from '@pbx/storage';
import type { Job } from 'bullmq';

const TEMP_FILE_AGE_MS = 3_600_000;

export type SweepResult = Awaited<ReturnType<typeof sweepExpired>> & {
  tenantsPurged: number;
  tenantPurgesFailed: number;
  recordingsExpired: number;
  voicemailsExpired: number;
  retentionFailed: number;
  orphanVoicemailCopies: number;
  tempFilesRemoved: number;
};

/**
 * Expired rows, tenants whose deletion grace period is over, then each tenant's retention (recordings and
 * voicemail, file and row together, audited), then stored voicemail copies whose message is gone, then temporary files left under MEDIA_DIR. A purged tenant was suspended (and the controllers told) when
 * its deletion was requested, so the purge has nothing left to announce.
 */
export function maintenanceSweepProcessor(
  ctx: PlatformContext,
  files: { recordingsDir: string; mediaDir: string; storage: ObjectStorage },
  log: (line: string) => void,
) {
  return async (job: Job): Promise<SweepResult> => {
    const payload = jobs.maintenanceSweep.payload.parse(job.data);
    const now = new Date();
    const prisma = ctx.db;
    const expired = await sweepExpired({ prisma, now, olderThanHours: payload.olderThanHours });
    const tenants = await purgeDueTenants({
      prisma,
      now,
      ...files,
      notify: () => Promise.resolve(),
      log,
    });
    const retention = await applyRetention(ctx, { now, storage: files.storage, log });
    // Stored copies whose message is gone: deleted by phone, or whose removal failed.
    const orphans = await removeOrphanVoicemailCopies(prisma, files.storage);
    // What a process killed mid-write left under MEDIA_DIR (a greeting upload, a refill): no write lasts an hour.
    const temps = await sweepTempFiles(files.mediaDir, TEMP_FILE_AGE_MS, now.getTime());
    if (retention.recordings || retention.voicemails)
      log(`retention removed ${retention.recordings} recordings and ${retention.voicemails} voicemails`);
    return {
      ...expired,
      tenantsPurged: tenants.purged,
      tenantPurgesFailed: tenants.failed,
      recordingsExpired: retention.recordings,
      voicemailsExpired: retention.voicemails,
      retentionFailed: retention.failed,
      orphanVoicemailCopies: orphans,
      tempFilesRemoved: temps,
    };
  };
}
