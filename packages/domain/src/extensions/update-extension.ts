import type { UpdateExtension } from '@pbx/contracts';
import type { Extension } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';
import { assertVersion } from '../shared/version.js';
import { checkExtensionLinks } from './check-extension-links.js';
import { extensionColumns } from './extension-columns.js';

/** Also used for the extension owner's own settings (the route limits the fields). */
export async function updateExtension(
  ctx: TenantContext,
  extensionId: string,
  input: UpdateExtension,
  ifMatch?: string,
): Promise<Extension> {
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.extension.findFirst({ where: { id: extensionId, tenantId: ctx.tenantId } });
    if (!before) throw notFound('extension');
    assertVersion(before, ifMatch);
    await checkExtensionLinks(tx, ctx.tenantId, input, extensionId);
    const after = await tx.extension.update({ where: { id: extensionId }, data: extensionColumns(input) });
    await record({
      action: 'extension.update',
      entityType: 'extension',
      entityId: extensionId,
      before,
      after,
    });
    return after;
  });
}
