import type { Db, User } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { AppError } from '../errors.js';
import { DUMMY_HASH, verifySecret } from '../security/password.js';
import { randomToken, sha256 } from '../security/tokens.js';
import { runWrite, type WriteRecord } from '../shared/run-write.js';
import { countLoginFailure } from './login-failures.js';

export type LoginPolicy = { maxFailures: number; lockMinutes: number; sessionTtlHours: number };

type LoginInput = { email: string; password: string; ip: string | null; userAgent: string | null };

const INVALID = 'invalid email or password';

const locked = (until: Date) =>
  new AppError('ACCOUNT_LOCKED', `too many failed logins: locked, try again at ${until.toISOString()}`, {
    details: { lockedUntil: until.toISOString() },
  });

/**
 * Checks the password and opens a session; every attempt is audited with the client's IP (never
 * the password). Unknown e-mails, disabled accounts and wrong passwords all cost one scrypt
 * verification and get the same answer. After `maxFailures` failed attempts in a row for an e-mail
 * address, that address is locked for `lockMinutes` and every attempt is told "locked, try again at
 * <time>", whatever the password. Addresses without an account are counted and locked exactly the
 * same way (LoginThrottle), so the lockout message reveals nothing about which accounts exist, and
 * a locked account does not confirm a guessed password.
 */
export async function logIn(
  db: Db,
  input: LoginInput,
  policy: LoginPolicy,
): Promise<{ token: string; expiresAt: Date; userId: string }> {
  const user = await db.user.findUnique({
    where: { email: input.email },
    include: { tenant: { select: { status: true } } },
  });
  const ok = await verifySecret(input.password, user?.passwordHash ?? DUMMY_HASH);
  const now = new Date();
  const ctx = loginContext(db, input, user);
  const audit = (action: string, detail: Record<string, unknown>): WriteRecord => ({
    action,
    entityType: 'user',
    entityId: user?.id ?? null,
    after: { email: input.email, userAgent: input.userAgent?.slice(0, 300) ?? null, ...detail },
    tenantId: user?.tenantId ?? null,
    notify: false,
  });

  const lockedUntil = user
    ? user.lockedUntil
    : ((await db.loginThrottle.findUnique({ where: { email: input.email } }))?.lockedUntil ?? null);
  if (lockedUntil && lockedUntil > now) {
    await runWrite(ctx, (_tx, record) =>
      record(audit('auth.login-refused', { reason: 'locked', lockedUntil: lockedUntil.toISOString() })),
    );
    throw locked(lockedUntil);
  }
  if (!ok || !user || user.disabled) {
    const reason = !user ? 'unknown e-mail' : user.disabled ? 'account disabled' : 'wrong password';
    const lockedNow = await runWrite(ctx, async (tx, record) => {
      await record(audit('auth.login-failed', { reason }));
      const until = await countLoginFailure(tx, input.email, user?.id ?? null, now, policy);
      if (until) await record(audit('auth.lockout', { lockedUntil: until.toISOString() }));
      return until;
    });
    if (lockedNow) throw locked(lockedNow);
    throw new AppError('UNAUTHENTICATED', INVALID);
  }
  if (user.tenant?.status === 'SUSPENDED') {
    await runWrite(ctx, (_tx, record) => record(audit('auth.login-refused', { reason: 'tenant suspended' })));
    throw new AppError('FORBIDDEN', 'this tenant is suspended');
  }
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + policy.sessionTtlHours * 3_600_000);
  await runWrite(ctx, async (tx, record) => {
    await tx.user.update({
      where: { id: user.id },
      data: { failedLogins: 0, lockedUntil: null, lastLoginAt: now },
    });
    const session = await tx.session.create({
      data: {
        userId: user.id,
        tokenHash: sha256(token),
        expiresAt,
        ip: input.ip?.slice(0, 64) ?? null,
        userAgent: input.userAgent?.slice(0, 300) ?? null,
      },
    });
    await record(audit('auth.login', { sessionId: session.id }));
  });
  return { token, expiresAt, userId: user.id };
}

/** Login writes are attributed to the account tried (none for unknown e-mails), from the client's IP. */
function loginContext(db: Db, input: LoginInput, user: User | null): PlatformContext {
  return {
    db,
    notify: () => Promise.resolve(),
    actor: {
      userId: user?.id ?? null,
      apiKeyId: null,
      role: user?.role ?? 'TENANT_USER',
      tenantId: user?.tenantId ?? null,
      extensionId: null,
      ip: input.ip?.slice(0, 64) ?? null,
    },
  };
}
