import type { ChangeExtensionNumber } from '@pbx/contracts';
import type { Extension } from '@pbx/db';
import { timingSafeEqual } from 'node:crypto';
import type { TenantContext, Tx } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { generateSipPassword, sipA1Hash } from '../security/sip.js';
import { assertNumberFree } from '../shared/assert-number-free.js';
import { lockTenant } from '../shared/lock-tenant.js';
import { runWrite, type Recorder } from '../shared/run-write.js';

/**
 * Gives an extension a new number and keeps everything else: its id, settings, voicemail, recordings, its portal
 * user, and everything that routes to it (IVR options, ring groups, DIDs, time conditions, other extensions'
 * forwards all point at the extension's id, so they follow without being touched). A mailbox numbered like the
 * extension is renumbered with it when the new number is free among mailboxes.
 *
 * The SIP user name is the number and only MD5(number:domain:password) is stored, so the password carries over
 * only when the phone's current one is given (checked against the stored hash); otherwise a new one is generated
 * and returned once. The ConfigChanged this write publishes makes every controller flush the old and the new
 * user from FreeSWITCH's cache (apps/controller/src/directory-flush.ts compares the snapshots before and after).
 */
export async function changeExtensionNumber(
  ctx: TenantContext,
  extensionId: string,
  input: ChangeExtensionNumber,
): Promise<{ extension: Extension; sipPassword: string | null }> {
  const generated = input.currentPassword === undefined ? generateSipPassword() : null;
  return runWrite(ctx, async (tx, record) => {
    await lockTenant(tx, ctx.tenantId);
    const before = await tx.extension.findFirst({ where: { id: extensionId, tenantId: ctx.tenantId } });
    if (!before) throw notFound('extension');
    if (before.number === input.number)
      throw new AppError('VALIDATION_FAILED', 'is already this extension’s number', { field: 'number' });
    if (
      input.currentPassword !== undefined &&
      !timingSafeEqual(
        Buffer.from(sipA1Hash(before.number, ctx.domain, input.currentPassword)),
        Buffer.from(before.sipA1Hash),
      )
    )
      throw new AppError('VALIDATION_FAILED', 'is not the phone’s current SIP password', {
        field: 'currentPassword',
      });
    await assertNumberFree(tx, ctx.tenantId, input.number, extensionId);
    const password = input.currentPassword ?? generated ?? '';
    const extension = await tx.extension.update({
      where: { id: extensionId },
      data: {
        number: input.number,
        sipA1Hash: sipA1Hash(input.number, ctx.domain, password),
        ...(generated ? { passwordSetAt: new Date() } : {}),
      },
    });
    await record({
      action: 'extension.change-number',
      entityType: 'extension',
      entityId: extensionId,
      before,
      after: extension,
    });
    await moveMailbox(ctx, before, input.number, tx, record);
    return { extension, sipPassword: generated };
  });
}

async function moveMailbox(
  ctx: TenantContext,
  before: Extension,
  number: string,
  tx: Tx,
  record: Recorder,
): Promise<void> {
  if (!before.voicemailBoxId) return;
  const box = await tx.voicemailBox.findFirst({
    where: { id: before.voicemailBoxId, tenantId: ctx.tenantId },
  });
  if (box?.number !== before.number) return;
  if ((await tx.voicemailBox.count({ where: { tenantId: ctx.tenantId, number } })) > 0) return;
  const after = await tx.voicemailBox.update({ where: { id: box.id }, data: { number } });
  await record({
    action: 'voicemail-box.update',
    entityType: 'voicemail-box',
    entityId: box.id,
    before: box,
    after,
  });
}
