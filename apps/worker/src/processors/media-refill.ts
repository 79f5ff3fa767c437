import { refillMedia, refillVoicemailMessage, type PlatformContext, type RefillResult } from '@pbx/domain';
import { jobs, mediaRefillJobId, type JobQueues } from '@pbx/jobs';
import type { MediaLayout } from '@pbx/media';
import type { ObjectStorage } from '@pbx/storage';
import type { Job } from 'bullmq';
import type { WorkerMetrics } from '../metrics.js';

export type MediaRefillJobResult =
  | (Omit<RefillResult, 'attempts'> & { continued: boolean })
  | { message: Awaited<ReturnType<typeof refillVoicemailMessage>> };

// Each run looks at this many rows per file it may fetch: a volume that lost nothing is checked in a few runs of
// cheap stats, one that lost everything is refilled `batch` files per run.
const ROWS_PER_FILE = 20;

/**
 * mediaRefill (scheduled every MEDIA_REFILL_EVERY_MINUTES): puts greetings and voicemail messages missing from
 * MEDIA_DIR back from the storage (refillMedia, @pbx/domain), at most `batch` files per run; a run that stops
 * with more to look at enqueues the rest of its pass at once, under a job id named by where it goes on. A job
 * naming one message (the controller found its file missing) refills only that one, in the payload's tenant.
 */
export function mediaRefillProcessor(deps: {
  ctx: PlatformContext;
  layout: MediaLayout;
  storage: ObjectStorage;
  enqueue: JobQueues['enqueue'];
  batch: number;
  metrics: WorkerMetrics;
  log: (line: string) => void;
}) {
  return async (job: Job): Promise<MediaRefillJobResult> => {
    const payload = jobs.mediaRefill.payload.parse(job.data);
    if (payload.message) {
      const outcome = await refillVoicemailMessage(deps.ctx, {
        ...payload.message,
        layout: deps.layout,
        storage: deps.storage,
        log: deps.log,
      });
      if (outcome !== 'present' && outcome !== 'not-stored')
        deps.metrics.countRefill('voicemail-message', outcome);
      return { message: outcome };
    }
    const { attempts, ...result } = await refillMedia(deps.ctx, {
      layout: deps.layout,
      storage: deps.storage,
      cursor: payload.after,
      maxFiles: deps.batch,
      maxRows: deps.batch * ROWS_PER_FILE,
      log: deps.log,
    });
    for (const a of attempts) deps.metrics.countRefill(a.kind, a.outcome);
    if (result.next)
      await deps.enqueue(
        'mediaRefill',
        { after: result.next },
        mediaRefillJobId(result.next.phase, result.next.afterId),
      );
    const refilled = result.refilled.greeting + result.refilled['voicemail-message'];
    if (refilled || result.missingObjects || result.failed)
      deps.log(
        `media refill: ${refilled} files put back, ${result.missingObjects} without a stored copy, ${result.failed} failed`,
      );
    return { ...result, continued: result.next !== null };
  };
}
