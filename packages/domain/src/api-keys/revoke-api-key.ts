import type { PlatformContext } from '../context.js';
import { requireScope } from '../auth/scopes.js';
import { notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';
import { revokeKeysAndMinted } from './revoke-keys.js';
import { visibleKeys } from './visible-keys.js';

/**
 * Revoked keys stop working at once but stay listed (with revokedAt) for the audit trail. Keys the
 * revoked key minted are revoked with it.
 */
export async function revokeApiKey(ctx: PlatformContext, keyId: string): Promise<void> {
  requireScope(ctx.actor, 'API_KEYS');
  await runWrite(ctx, async (tx, record) => {
    const key = await tx.apiKey.findFirst({
      where: { id: keyId, revokedAt: null, ...visibleKeys(ctx.actor) },
      select: { id: true },
    });
    if (!key) throw notFound('API key');
    await revokeKeysAndMinted(tx, record, { id: keyId }, 'revoked');
  });
}
