import { reconcileRecordings, type PlatformContext } from '@pbx/domain';
import { recordingJobId, type JobQueues } from '@pbx/jobs';

/**
 * recordingReconcile (scheduled): recordings whose RECORD_STOP was lost are found from their CDR and the raw
 * files on disk (reconcileRecordings, @pbx/domain) and enqueued under the same job id the controller's
 * RECORD_STOP would have used, so a late event adds no second job.
 */
export function recordingReconcileProcessor(
  ctx: PlatformContext,
  enqueueMany: JobQueues['enqueueMany'],
  recordingsDir: string,
) {
  return async (): Promise<{ enqueued: number; failed: number; scratchRemoved: number }> => {
    const { toProcess, failed, scratchRemoved } = await reconcileRecordings(ctx, { recordingsDir });
    if (toProcess.length > 0)
      await enqueueMany(
        toProcess.map((r) => ({
          key: 'recordingProcess' as const,
          payload: r,
          jobId: recordingJobId(r.callUuid, r.filePath),
        })),
      );
    return { enqueued: toProcess.length, failed, scratchRemoved };
  };
}
