import type { Cdr } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { toPage, type Page, type PageArgs } from '../shared/page.js';
import { cdrWhere, type CdrFilter } from './cdr-where.js';

/** Newest first. */
export async function listCdrs(ctx: TenantContext, query: PageArgs & CdrFilter): Promise<Page<Cdr>> {
  const where = cdrWhere(ctx.tenantId, query);
  const [items, total] = await Promise.all([
    ctx.db.cdr.findMany({
      where,
      orderBy: [{ startedAt: 'desc' }, { id: 'asc' }],
      take: query.limit,
      skip: query.offset,
    }),
    ctx.db.cdr.count({ where }),
  ]);
  return toPage(items, total, query);
}
