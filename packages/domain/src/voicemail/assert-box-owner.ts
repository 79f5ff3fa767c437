import { isAdmin, type TenantContext, type Tx } from '../context.js';
import { notFound } from '../errors.js';

/** Not an admin: only the box of the actor's own extension; any other is indistinguishable from a missing one. */
export async function assertBoxOwner(tx: Tx, ctx: TenantContext, boxId: string): Promise<void> {
  if (isAdmin(ctx.actor)) return;
  const own =
    ctx.actor.extensionId !== null &&
    (await tx.extension.count({
      where: { id: ctx.actor.extensionId, tenantId: ctx.tenantId, voicemailBoxId: boxId },
    })) > 0;
  if (!own) throw notFound('voicemail box');
}
