import type { PlatformContext } from '../context.js';
import { notFound } from '../errors.js';
import { toPage, type Page, type PageArgs } from '../shared/page.js';
import { gatewayView, type GatewayView } from './gateway-view.js';

const withCount = { _count: { select: { assignments: true } } } as const;

export async function listGateways(ctx: PlatformContext, query: PageArgs): Promise<Page<GatewayView>> {
  const [rows, total] = await Promise.all([
    ctx.db.gateway.findMany({
      include: withCount,
      orderBy: [{ fsName: 'asc' }],
      take: query.limit,
      skip: query.offset,
    }),
    ctx.db.gateway.count(),
  ]);
  return toPage(
    rows.map(({ _count, ...row }) => gatewayView(row, _count.assignments)),
    total,
    query,
  );
}

export async function getGateway(ctx: PlatformContext, id: string): Promise<GatewayView> {
  const row = await ctx.db.gateway.findUnique({ where: { id }, include: withCount });
  if (!row) throw notFound('gateway');
  const { _count, ...rest } = row;
  return gatewayView(rest, _count.assignments);
}
