import type { CreateVerifiedCallerId } from '@pbx/contracts';
import type { VerifiedCallerId } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';
import { toPage, type Page, type PageArgs } from '../shared/page.js';

/** Only platform admins vouch for a number: a tenant admin could otherwise verify any number for itself. */
function assertPlatformAdmin(ctx: TenantContext): void {
  if (ctx.actor.role !== 'PLATFORM_ADMIN')
    throw new AppError('FORBIDDEN', 'only platform admins verify caller IDs');
}

/** Records that the tenant may present `e164` as caller ID (platform admins; audited). */
export async function createVerifiedCallerId(
  ctx: TenantContext,
  input: CreateVerifiedCallerId,
): Promise<VerifiedCallerId> {
  assertPlatformAdmin(ctx);
  return runWrite(ctx, async (tx, record) => {
    if (await tx.verifiedCallerId.count({ where: { tenantId: ctx.tenantId, e164: input.e164 } }))
      throw new AppError('CONFLICT', `${input.e164} is already verified for this tenant`, { field: 'e164' });
    const row = await tx.verifiedCallerId.create({
      data: { tenantId: ctx.tenantId, e164: input.e164, note: input.note ?? '' },
    });
    await record({ action: 'caller-id.verify', entityType: 'caller-id', entityId: row.id, after: row });
    return row;
  });
}

/**
 * Withdraws a verification. Extensions still set to the number keep the setting, but routing no longer presents it
 * (they fall back to the tenant's main number), so withdrawing takes effect at once.
 */
export async function deleteVerifiedCallerId(ctx: TenantContext, id: string): Promise<void> {
  assertPlatformAdmin(ctx);
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.verifiedCallerId.findFirst({ where: { id, tenantId: ctx.tenantId } });
    if (!before) throw notFound('verified caller ID');
    await tx.verifiedCallerId.delete({ where: { id } });
    await record({ action: 'caller-id.unverify', entityType: 'caller-id', entityId: id, before });
  });
}

export async function listVerifiedCallerIds(
  ctx: TenantContext,
  query: PageArgs,
): Promise<Page<VerifiedCallerId>> {
  const where = { tenantId: ctx.tenantId };
  const [items, total] = await Promise.all([
    ctx.db.verifiedCallerId.findMany({
      where,
      orderBy: [{ e164: 'asc' }],
      take: query.limit,
      skip: query.offset,
    }),
    ctx.db.verifiedCallerId.count({ where }),
  ]);
  return toPage(items, total, query);
}
