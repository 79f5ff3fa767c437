import type { Db } from '@pbx/db';
import { sha256 } from '../security/tokens.js';
import type { Principal } from './principal.js';

const TOUCH_AFTER_MS = 60_000;

/** The principal behind a `pbx_...` bearer key, or null when unknown, revoked or expired. */
export async function authenticateApiKey(db: Db, key: string, ip: string | null): Promise<Principal | null> {
  const row = await db.apiKey.findUnique({
    where: { keyHash: sha256(key) },
    include: { tenant: { select: { status: true } } },
  });
  const now = new Date();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  if (row.tenant?.status === 'SUSPENDED') return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_AFTER_MS) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    actor: { userId: null, apiKeyId: row.id, role: row.role, tenantId: row.tenantId, extensionId: null, ip },
    user: null,
    apiKey: { id: row.id, name: row.name, prefix: row.prefix },
  };
}
