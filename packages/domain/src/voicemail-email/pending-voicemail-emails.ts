import type { Db } from '@pbx/db';

/**
 * Messages whose e-mail is queued (PENDING) and whose job may not exist: a resend through the API (which
 * does not load BullMQ), or a crash between the row's commit and its enqueue. The worker's outbox enqueues
 * each with the job id of its generation, so an already-queued one is not queued twice.
 */
export async function pendingVoicemailEmails(
  prisma: Db,
  limit: number,
): Promise<{ id: string; tenantId: string; emailGeneration: number }[]> {
  return prisma.voicemailMessage.findMany({
    where: { emailState: 'PENDING', box: { email: { not: null } } },
    select: { id: true, tenantId: true, emailGeneration: true },
    orderBy: { createdAt: 'asc' },
    take: limit,
  });
}
