import type { Db } from '@pbx/db';
import { pendingVoicemailEmails } from '@pbx/domain';
import { jobs, voicemailEmailJobId } from '@pbx/jobs';
import type { Queue } from 'bullmq';

/** Enqueues every PENDING voicemail e-mail under its generation's job id (BullMQ drops ids it holds). */
export function voicemailOutboxProcessor(prisma: Db, queue: Pick<Queue, 'addBulk'>) {
  return async (): Promise<{ enqueued: number }> => {
    const pending = await pendingVoicemailEmails(prisma, 500);
    if (pending.length === 0) return { enqueued: 0 };
    await queue.addBulk(
      pending.map((m) => ({
        name: jobs.voicemailEmail.name,
        data: jobs.voicemailEmail.payload.parse({
          tenantId: m.tenantId,
          messageId: m.id,
          generation: m.emailGeneration,
        }),
        opts: { ...jobs.voicemailEmail.options, jobId: voicemailEmailJobId(m.id, m.emailGeneration) },
      })),
    );
    return { enqueued: pending.length };
  };
}
