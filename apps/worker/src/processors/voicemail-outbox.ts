import type { Db } from '@pbx/db';
import { pendingVoicemailEmails, unstoredVoicemailMessages } from '@pbx/domain';
import { voicemailEmailJobId, voicemailStoreJobId, type JobQueues } from '@pbx/jobs';

/**
 * Enqueues every PENDING voicemail e-mail under its generation's job id, and a store job for every message whose
 * durable copy is not stored yet under the message's job id (BullMQ drops ids it holds).
 */
export function voicemailOutboxProcessor(prisma: Db, enqueueMany: JobQueues['enqueueMany']) {
  return async (): Promise<{ enqueued: number; toStore: number }> => {
    const [pending, unstored] = await Promise.all([
      pendingVoicemailEmails(prisma, 500),
      unstoredVoicemailMessages(prisma, 500),
    ]);
    if (pending.length === 0 && unstored.length === 0) return { enqueued: 0, toStore: 0 };
    await enqueueMany([
      ...unstored.map((m) => ({
        key: 'voicemailStore' as const,
        payload: { tenantId: m.tenantId, messageId: m.id },
        jobId: voicemailStoreJobId(m.id),
      })),
      ...pending.map((m) => ({
        key: 'voicemailEmail' as const,
        payload: { tenantId: m.tenantId, messageId: m.id, generation: m.emailGeneration },
        jobId: voicemailEmailJobId(m.id, m.emailGeneration),
      })),
    ]);
    return { enqueued: pending.length, toStore: unstored.length };
  };
}
