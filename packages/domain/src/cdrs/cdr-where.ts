import type { CallDirection, Prisma } from '@pbx/db';
import { timeRange } from '../shared/time-range.js';

export type CdrFilter = {
  from?: string | undefined;
  to?: string | undefined;
  extension?: string | undefined;
  direction?: CallDirection | undefined;
};

export function cdrWhere(tenantId: string, f: CdrFilter): Prisma.CdrWhereInput {
  const startedAt = timeRange(f.from, f.to);
  return {
    tenantId,
    ...(startedAt ? { startedAt } : {}),
    ...(f.extension ? { extensionNumber: f.extension } : {}),
    ...(f.direction ? { direction: f.direction } : {}),
  };
}
