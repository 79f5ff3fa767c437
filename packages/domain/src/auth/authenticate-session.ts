import type { Db } from '@pbx/db';
import { sha256 } from '../security/tokens.js';
import type { Principal } from './principal.js';

const TOUCH_AFTER_MS = 60_000;

/** The principal behind a session cookie, or null when it is unknown, expired or its user is disabled. */
export async function authenticateSession(
  db: Db,
  token: string,
  ip: string | null,
): Promise<Principal | null> {
  const session = await db.session.findUnique({
    where: { tokenHash: sha256(token) },
    include: { user: { include: { tenant: { select: { status: true } } } } },
  });
  const now = new Date();
  if (!session || session.expiresAt <= now) return null;
  const { user } = session;
  if (user.disabled || user.tenant?.status === 'SUSPENDED') return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  return {
    actor: {
      userId: user.id,
      apiKeyId: null,
      role: user.role,
      tenantId: user.tenantId,
      extensionId: user.extensionId,
      ip,
    },
    user: { id: user.id, email: user.email, name: user.name },
    apiKey: null,
  };
}
