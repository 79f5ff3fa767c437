import type { TenantContext } from '../../context.js';
import { DUMMY_HASH, verifySecret } from '../../security/password.js';
import { runWrite } from '../../shared/run-write.js';
import { issueAccess, type MailboxAccess } from './mailbox-access.js';

/** Wrong PINs in a row (across calls) that lock a box, and for how long. */
export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_MS = 15 * 60_000;

export type PinCheck =
  | { ok: true; access: MailboxAccess }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; until: Date };

/** Whether a box is locked at `now`, from its stored columns (what the API shows). */
export function pinLockState(
  box: { pinFailedAttempts: number; pinLockedUntil: Date | null },
  now: Date,
): { locked: boolean; lockedUntil: Date | null; failedAttempts: number } {
  const locked = box.pinLockedUntil !== null && box.pinLockedUntil > now;
  return {
    locked,
    lockedUntil: locked ? box.pinLockedUntil : null,
    failedAttempts: locked ? 0 : expired(box, now) ? 0 : box.pinFailedAttempts,
  };
}

const expired = (box: { pinLockedUntil: Date | null }, now: Date) =>
  box.pinLockedUntil !== null && box.pinLockedUntil <= now;

/**
 * A PIN entered by phone for a box addressed by id (`*97`, own box) or by number (`*98`). A box that does not exist
 * answers exactly like a wrong PIN (and costs the same scrypt time). While locked, the PIN is not even checked.
 * Failures are counted in the database, so the lock holds across calls, controllers and nodes. `now` is the
 * caller's clock (tests move it instead of sleeping).
 */
export async function verifyVoicemailPin(
  ctx: TenantContext,
  box: { id: string } | { number: string },
  pin: string,
  now: Date,
): Promise<PinCheck> {
  const row = await ctx.db.voicemailBox.findFirst({
    where: { tenantId: ctx.tenantId, ...('id' in box ? { id: box.id } : { number: box.number }) },
    select: { id: true, number: true, pinHash: true, pinLockedUntil: true },
  });
  if (row?.pinLockedUntil && row.pinLockedUntil > now)
    return { ok: false, reason: 'locked', until: row.pinLockedUntil };
  const good = /^\d{1,12}$/.test(pin) && (await verifySecret(pin, row?.pinHash ?? DUMMY_HASH));
  if (!row) return { ok: false, reason: 'invalid' };
  return runWrite(ctx, async (tx, record): Promise<PinCheck> => {
    await tx.$queryRaw`SELECT id FROM "VoicemailBox" WHERE id = ${row.id}::uuid FOR UPDATE`;
    const before = await tx.voicemailBox.findUniqueOrThrow({
      where: { id: row.id },
      select: { pinFailedAttempts: true, pinLockedUntil: true },
    });
    const state = pinLockState(before, now);
    if (state.locked && state.lockedUntil) return { ok: false, reason: 'locked', until: state.lockedUntil };
    const base = { entityType: 'voicemail-box', entityId: row.id, before, notify: false } as const;
    if (good) {
      if (before.pinFailedAttempts !== 0 || before.pinLockedUntil !== null) {
        const after = await tx.voicemailBox.update({
          where: { id: row.id },
          data: { pinFailedAttempts: 0, pinLockedUntil: null },
          select: { pinFailedAttempts: true, pinLockedUntil: true },
        });
        await record({ ...base, action: 'voicemail-box.pin-reset', after });
      }
      return {
        ok: true,
        access: issueAccess({ tenantId: ctx.tenantId, boxId: row.id, boxNumber: row.number }),
      };
    }
    const failures = state.failedAttempts + 1;
    const lock = failures >= PIN_MAX_FAILURES;
    const after = await tx.voicemailBox.update({
      where: { id: row.id },
      data: lock
        ? { pinFailedAttempts: 0, pinLockedUntil: new Date(now.getTime() + PIN_LOCK_MS) }
        : { pinFailedAttempts: failures, pinLockedUntil: null },
      select: { pinFailedAttempts: true, pinLockedUntil: true },
    });
    await record({ ...base, action: lock ? 'voicemail-box.pin-locked' : 'voicemail-box.pin-failed', after });
    return lock && after.pinLockedUntil
      ? { ok: false, reason: 'locked', until: after.pinLockedUntil }
      : { ok: false, reason: 'invalid' };
  });
}
