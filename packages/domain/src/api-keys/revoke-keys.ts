import type { Prisma } from '@pbx/db';
import type { Tx } from '../context.js';
import type { Recorder } from '../shared/run-write.js';

/**
 * Revokes the keys matching `where` and every key minted from them, however deep, each with its
 * own audit row. Runs inside the caller's write so a revocation is never half done.
 */
export async function revokeKeysAndMinted(
  tx: Tx,
  record: Recorder,
  where: Prisma.ApiKeyWhereInput,
  reason: string,
): Promise<number> {
  const now = new Date();
  let frontier = await tx.apiKey.findMany({ where: { AND: [where, { revokedAt: null }] } });
  const seen = new Set<string>();
  let revoked = 0;
  while (frontier.length) {
    for (const before of frontier) {
      seen.add(before.id);
      const after = await tx.apiKey.update({ where: { id: before.id }, data: { revokedAt: now } });
      await record({
        action: 'api-key.revoke',
        entityType: 'api-key',
        entityId: before.id,
        before,
        after: { ...after, reason },
        tenantId: before.tenantId,
        notify: false,
      });
      revoked++;
    }
    frontier = await tx.apiKey.findMany({
      where: { parentKeyId: { in: frontier.map((k) => k.id) }, revokedAt: null, id: { notIn: [...seen] } },
    });
  }
  return revoked;
}
