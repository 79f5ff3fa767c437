import type { Db } from '@pbx/db';
import { pendingVoicemailEmails, unstoredVoicemailMessages } from '@pbx/domain';
import { jobs, voicemailEmailJobId, voicemailStoreJobId } from '@pbx/jobs';
import type { Queue } from 'bullmq';

/**
 * Enqueues every PENDING voicemail e-mail under its generation's job id, and a store job for every message whose
 * durable copy is not stored yet under the message's job id (BullMQ drops ids it holds).
 */
export function voicemailOutboxProcessor(prisma: Db, queue: Pick<Queue, 'addBulk'>) {
  return async (): Promise<{ enqueued: number; toStore: number }> => {
    const [pending, unstored] = await Promise.all([
      pendingVoicemailEmails(prisma, 500),
      unstoredVoicemailMessages(prisma, 500),
    ]);
    if (pending.length === 0 && unstored.length === 0) return { enqueued: 0, toStore: 0 };
    await queue.addBulk([
      ...unstored.map((m) => ({
        name: jobs.voicemailStore.name,
        data: jobs.voicemailStore.payload.parse({ tenantId: m.tenantId, messageId: m.id }),
        opts: { ...jobs.voicemailStore.options, jobId: voicemailStoreJobId(m.id) },
      })),
      ...pending.map((m) => ({
        name: jobs.voicemailEmail.name,
        data: jobs.voicemailEmail.payload.parse({
          tenantId: m.tenantId,
          messageId: m.id,
          generation: m.emailGeneration,
        }),
        opts: { ...jobs.voicemailEmail.options, jobId: voicemailEmailJobId(m.id, m.emailGeneration) },
      })),
    ]);
    return { enqueued: pending.length, toStore: unstored.length };
  };
}
