import { isAdmin, type PlatformContext, type TenantContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';

/** What an admin lifts: a banned address, a locked SIP user (user@domain), an extension the fraud policy blocked. */
export type BlockLift =
  | { kind: 'guard.address'; key: string }
  | { kind: 'guard.user'; key: string }
  | { kind: 'fraud.extension'; key: string };

const WHAT: Record<BlockLift['kind'], string> = {
  'guard.address': 'block',
  'guard.user': 'lock',
  'fraud.extension': 'fraud block',
};

/**
 * Lifts a guard ban or lock, or a fraud block, and audits it like any admin write. `lift` is the store in Redis
 * (which the domain does not know): it answers the block it removed, or null when there was none (404, no audit
 * row). It runs inside the write, so the audit row (the block as it was) is committed right after it.
 * A platform-wide lift takes a PlatformContext and a platform admin; a tenant's lift the tenant's context.
 */
export async function liftBlock(
  ctx: PlatformContext | TenantContext,
  block: BlockLift,
  lift: () => Promise<object | null>,
): Promise<void> {
  const platformWide = !('tenantId' in ctx);
  if (platformWide ? ctx.actor.role !== 'PLATFORM_ADMIN' : !isAdmin(ctx.actor))
    throw new AppError('FORBIDDEN', `only admins lift a ${WHAT[block.kind]}`);
  await runWrite(ctx, async (_tx, record) => {
    const lifted = await lift();
    if (!lifted) throw notFound(WHAT[block.kind]);
    await record({
      action: `${block.kind}.lift`,
      entityType: block.kind,
      // The whole block is in `before`; the column holds 64 characters (an address or user@domain mostly fits).
      entityId: block.key.length <= 64 ? block.key : null,
      before: lifted,
      after: null,
      // Nothing FreeSWITCH caches: the controllers read blocks from Redis.
      notify: false,
    });
  });
}
