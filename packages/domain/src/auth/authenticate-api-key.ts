import type { Db } from '@pbx/db';
import { sha256 } from '../security/tokens.js';
import type { Principal } from './principal.js';
import { lowerRole } from './scopes.js';

const TOUCH_AFTER_MS = 60_000;

/**
 * The principal behind a `pbx_...` bearer key, or null when unknown, revoked or expired, or when
 * the user it acts for is disabled (deleting a user revokes their keys). Evaluated on every request,
 * in the same query: a key has the lower of its own role and its creator's current role, and only
 * its scopes.
 */
export async function authenticateApiKey(db: Db, key: string, ip: string | null): Promise<Principal | null> {
  const row = await db.apiKey.findUnique({
    where: { keyHash: sha256(key) },
    include: {
      tenant: { select: { status: true } },
      createdBy: {
        select: { role: true, disabled: true, tenantId: true, extensionId: true },
      },
    },
  });
  const now = new Date();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  if (row.tenant?.status === 'SUSPENDED') return null;
  const creator = row.createdBy;
  if (row.createdById !== null && !creator) return null;
  if (creator?.disabled) return null;
  // A tenant user's keys never reach another tenant (platform admins have no tenant).
  if (creator && creator.role !== 'PLATFORM_ADMIN' && creator.tenantId !== row.tenantId) return null;
  const role = creator ? lowerRole(row.role, creator.role) : row.role;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_AFTER_MS) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    actor: {
      userId: null,
      apiKeyId: row.id,
      role,
      tenantId: row.tenantId,
      extensionId: role === 'TENANT_USER' ? (creator?.extensionId ?? null) : null,
      ip,
      scopes: new Set(row.scopes),
    },
    user: null,
    apiKey: { id: row.id, name: row.name, prefix: row.prefix },
  };
}
