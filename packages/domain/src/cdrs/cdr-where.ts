import type { CallDirection, Prisma } from '@pbx/db';
import { timeRange } from '../shared/time-range.js';

export type CdrFilter = {
  from?: string | undefined;
  to?: string | undefined;
  extension?: string | undefined;
  direction?: CallDirection | undefined;
  /** Part of the caller's, the called or the DID number. */
  number?: string | undefined;
  /** true: answered calls only; false: missed (never answered) only. */
  answered?: boolean | undefined;
};

export function cdrWhere(tenantId: string, f: CdrFilter): Prisma.CdrWhereInput {
  const startedAt = timeRange(f.from, f.to);
  return {
    tenantId,
    ...(startedAt ? { startedAt } : {}),
    ...(f.extension ? { extensionNumber: f.extension } : {}),
    ...(f.direction ? { direction: f.direction } : {}),
    ...(f.number
      ? {
          OR: [
            { fromNumber: { contains: f.number } },
            { toNumber: { contains: f.number } },
            { did: { contains: f.number } },
          ],
        }
      : {}),
    ...(f.answered === undefined ? {} : { answeredAt: f.answered ? { not: null } : null }),
  };
}
