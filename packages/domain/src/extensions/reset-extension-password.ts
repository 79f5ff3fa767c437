import type { Extension } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { generateSipPassword, sipA1Hash } from '../security/sip.js';
import { runWrite } from '../shared/run-write.js';

/** A new SIP password, returned once; phones using the old one stop registering. */
export async function resetExtensionPassword(
  ctx: TenantContext,
  extensionId: string,
): Promise<{ extension: Extension; sipPassword: string }> {
  const sipPassword = generateSipPassword();
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.extension.findFirst({ where: { id: extensionId, tenantId: ctx.tenantId } });
    if (!before) throw notFound('extension');
    const extension = await tx.extension.update({
      where: { id: extensionId },
      data: { sipA1Hash: sipA1Hash(before.number, ctx.domain, sipPassword), passwordSetAt: new Date() },
    });
    await record({
      action: 'extension.reset-password',
      entityType: 'extension',
      entityId: extensionId,
      before,
      after: extension,
    });
    return { extension, sipPassword };
  });
}
