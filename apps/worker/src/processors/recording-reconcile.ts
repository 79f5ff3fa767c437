import { reconcileRecordings, type PlatformContext } from '@pbx/domain';
import { jobs, recordingJobId } from '@pbx/jobs';
import type { Queue } from 'bullmq';

/**
 * recordingReconcile (scheduled): recordings whose RECORD_STOP was lost are found from their CDR and the raw
 * files on disk (reconcileRecordings, @pbx/domain) and enqueued under the same job id the controller's
 * RECORD_STOP would have used, so a late event adds no second job.
 */
export function recordingReconcileProcessor(
  ctx: PlatformContext,
  queue: Pick<Queue, 'addBulk'>,
  recordingsDir: string,
) {
  return async (): Promise<{ enqueued: number; failed: number; scratchRemoved: number }> => {
    const { toProcess, failed, scratchRemoved } = await reconcileRecordings(ctx, { recordingsDir });
    if (toProcess.length > 0)
      await queue.addBulk(
        toProcess.map((r) => ({
          name: jobs.recordingProcess.name,
          data: jobs.recordingProcess.payload.parse(r),
          opts: { ...jobs.recordingProcess.options, jobId: recordingJobId(r.callUuid, r.filePath) },
        })),
      );
    return { enqueued: toProcess.length, failed, scratchRemoved };
  };
}
