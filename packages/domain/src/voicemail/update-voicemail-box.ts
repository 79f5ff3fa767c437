import { VoicemailBoxSettingsBody, type UpdateVoicemailBox } from '@pbx/contracts';
import type { VoicemailBox } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { hashSecret } from '../security/password.js';
import { runWrite } from '../shared/run-write.js';
import { assertVersion } from '../shared/version.js';
import { assertOwnerFields } from '../shared/assert-owner-fields.js';
import { assertBoxOwner } from './assert-box-owner.js';
import { boxColumns } from './box-columns.js';
import { checkBoxFallback } from './check-box-fallback.js';
import { checkBoxNumber } from './check-box-number.js';

/** What the mailbox owner (the extension's user) may change: PIN, greeting, e-mail delivery. */
export const VOICEMAIL_OWNER_FIELDS: readonly string[] = Object.keys(VoicemailBoxSettingsBody.shape);

/** Admins change any field; the owner of the box only VOICEMAIL_OWNER_FIELDS (else FORBIDDEN). */
export async function updateVoicemailBox(
  ctx: TenantContext,
  boxId: string,
  input: UpdateVoicemailBox,
  ifMatch?: string,
): Promise<VoicemailBox> {
  assertOwnerFields(ctx.actor, input, VOICEMAIL_OWNER_FIELDS, 'a voicemail box');
  const { pin, ...rest } = input;
  const pinHash = pin === undefined ? undefined : await hashSecret(pin);
  return runWrite(ctx, async (tx, record) => {
    await assertBoxOwner(tx, ctx, boxId);
    const before = await tx.voicemailBox.findFirst({ where: { id: boxId, tenantId: ctx.tenantId } });
    if (!before) throw notFound('voicemail box');
    assertVersion(before, ifMatch);
    await checkBoxNumber(tx, ctx.tenantId, rest.number, boxId);
    await checkBoxFallback(tx, ctx.tenantId, rest.fallback, boxId);
    const after = await tx.voicemailBox.update({
      where: { id: boxId },
      // A new PIN also lifts a lock left by wrong PINs entered by phone.
      data: {
        ...boxColumns(rest),
        ...(pinHash ? { pinHash, pinFailedAttempts: 0, pinLockedUntil: null } : {}),
      },
    });
    await record({
      action: 'voicemail-box.update',
      entityType: 'voicemail-box',
      entityId: boxId,
      before,
      after,
    });
    return after;
  });
}
