import type { Cdr } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { cdrWhere, type CdrFilter } from './cdr-where.js';

const BATCH = 1000;
export const CDR_EXPORT_MAX_ROWS = 100_000;

/** Oldest first, in batches (keyset on startedAt, id) so a large export never sits in memory. */
export async function* exportCdrs(ctx: TenantContext, filter: CdrFilter): AsyncGenerator<Cdr[]> {
  const where = cdrWhere(ctx.tenantId, filter);
  let last: { startedAt: Date; id: string } | null = null;
  let sent = 0;
  while (sent < CDR_EXPORT_MAX_ROWS) {
    const after = last
      ? { OR: [{ startedAt: { gt: last.startedAt } }, { startedAt: last.startedAt, id: { gt: last.id } }] }
      : {};
    const rows: Cdr[] = await ctx.db.cdr.findMany({
      where: { AND: [where, after] },
      orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
      take: Math.min(BATCH, CDR_EXPORT_MAX_ROWS - sent),
    });
    if (rows.length === 0) return;
    sent += rows.length;
    const tail = rows[rows.length - 1];
    if (tail) last = { startedAt: tail.startedAt, id: tail.id };
    yield rows;
    if (rows.length < BATCH) return;
  }
}
