import type { Db } from '@pbx/db';

export type SweepExpiredOptions = { prisma: Db; now: Date; olderThanHours: number };

/** Deletes portal sessions past their expiry and idempotency records past their replay window. */
export async function sweepExpired({ prisma, now, olderThanHours }: SweepExpiredOptions): Promise<{
  sessions: number;
  idempotencyRecords: number;
}> {
  const cutoff = new Date(now.getTime() - olderThanHours * 3_600_000);
  const sessions = await prisma.session.deleteMany({ where: { expiresAt: { lt: now } } });
  const records = await prisma.idempotencyRecord.deleteMany({ where: { createdAt: { lt: cutoff } } });
  return { sessions: sessions.count, idempotencyRecords: records.count };
}
