import type { PlatformContext } from '../context.js';
import { notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';
import { visibleKeys } from './visible-keys.js';

/** Revoked keys stop working at once but stay listed (with revokedAt) for the audit trail. */
export async function revokeApiKey(ctx: PlatformContext, keyId: string): Promise<void> {
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.apiKey.findFirst({
      where: { id: keyId, revokedAt: null, ...visibleKeys(ctx.actor) },
    });
    if (!before) throw notFound('API key');
    const after = await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } });
    await record({
      action: 'api-key.revoke',
      entityType: 'api-key',
      entityId: keyId,
      before,
      after,
      tenantId: before.tenantId,
      notify: false,
    });
  });
}
