import { ExtensionSettingsBody, type UpdateExtension } from '@pbx/contracts';
import type { Extension } from '@pbx/db';
import { isAdmin, type TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { assertOwnerFields } from '../shared/assert-owner-fields.js';
import { runWrite } from '../shared/run-write.js';
import { assertVersion } from '../shared/version.js';
import { assertCallerIdAllowed } from '../caller-ids/assert-caller-id.js';
import { checkExtensionLinks } from './check-extension-links.js';
import { checkForwardPolicy } from './check-forward-policy.js';
import { extensionColumns } from './extension-columns.js';

/** What the extension's own user (or phone) may change: DND and call forwarding. */
export const EXTENSION_OWNER_FIELDS: readonly string[] = Object.keys(ExtensionSettingsBody.shape);

/**
 * The one path of every change to an existing extension (an admin's edit, the owner's settings, a feature code),
 * so each gets the same rules: who may change which field, links inside the tenant, forwards the routing accepts,
 * an audit row and the controllers told.
 */
export async function changeExtension(
  ctx: TenantContext,
  extensionId: string,
  input: UpdateExtension,
  options: { action: string; ifMatch?: string | undefined },
): Promise<Extension> {
  // Not an admin: only their own extension, which is indistinguishable from a missing one otherwise.
  if (!isAdmin(ctx.actor) && ctx.actor.extensionId !== extensionId) throw notFound('extension');
  assertOwnerFields(ctx.actor, input, EXTENSION_OWNER_FIELDS, 'an extension');
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.extension.findFirst({ where: { id: extensionId, tenantId: ctx.tenantId } });
    if (!before) throw notFound('extension');
    assertVersion(before, options.ifMatch);
    await checkExtensionLinks(tx, ctx.tenantId, input, extensionId);
    await checkForwardPolicy(tx, ctx.tenantId, input, before);
    await assertCallerIdAllowed(tx, ctx.tenantId, input.callerIdNumber, 'callerIdNumber');
    await assertCallerIdAllowed(tx, ctx.tenantId, input.emergencyCallerIdNumber, 'emergencyCallerIdNumber');
    const after = await tx.extension.update({ where: { id: extensionId }, data: extensionColumns(input) });
    await record({ action: options.action, entityType: 'extension', entityId: extensionId, before, after });
    return after;
  });
}
