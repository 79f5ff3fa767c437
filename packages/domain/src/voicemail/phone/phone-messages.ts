import { rm } from 'node:fs/promises';
import { Pin, type GreetingKind } from '@pbx/contracts';
import type { VoicemailMessage } from '@pbx/db';
import type { MediaLayout } from '@pbx/media';
import type { ObjectStorage } from '@pbx/storage';
import type { TenantContext } from '../../context.js';
import { AppError, notFound } from '../../errors.js';
import { publishGreeting } from '../../greetings/publish-greeting.js';
import { BOX_COLUMN } from '../../greetings/target.js';
import { hashSecret } from '../../security/password.js';
import { runWrite } from '../../shared/run-write.js';
import { removeMessageAudio } from './audio-files.js';
import { checkAccess, type MailboxAccess } from './mailbox-access.js';

export type PhoneMailbox = { newMessages: VoicemailMessage[]; savedMessages: VoicemailMessage[] };

/** The box's messages as the menu plays them: new ones first, each group oldest first. */
export async function listMailboxForPhone(ctx: TenantContext, access: MailboxAccess): Promise<PhoneMailbox> {
  checkAccess(access, ctx.tenantId);
  const all = await ctx.db.voicemailMessage.findMany({
    where: { tenantId: ctx.tenantId, boxId: access.boxId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return {
    newMessages: all.filter((m) => m.readAt === null),
    savedMessages: all.filter((m) => m.readAt !== null),
  };
}

async function findMessage(
  tx: Pick<TenantContext['db'], 'voicemailMessage'>,
  ctx: TenantContext,
  access: MailboxAccess,
  id: string,
) {
  const row = await tx.voicemailMessage.findFirst({
    where: { id, tenantId: ctx.tenantId, boxId: access.boxId },
  });
  if (!row) throw notFound('voicemail message');
  return row;
}

/** Heard (or kept) by phone: the message becomes a saved one and the lamp is refreshed. Idempotent. */
export async function markHeardByPhone(
  ctx: TenantContext,
  access: MailboxAccess,
  messageId: string,
  now: Date,
): Promise<void> {
  checkAccess(access, ctx.tenantId);
  await runWrite(ctx, async (tx, record) => {
    const before = await findMessage(tx, ctx, access, messageId);
    if (before.readAt !== null) return;
    const after = await tx.voicemailMessage.update({ where: { id: messageId }, data: { readAt: now } });
    await record({
      action: 'voicemail-message.read',
      entityType: 'voicemail-message',
      entityId: messageId,
      before,
      after,
      notify: false,
      voicemailBoxId: access.boxId,
    });
  });
}

/**
 * Deleted by phone: the row now; the audio after commit, handed back unawaited so the caller hears "deleted" while
 * the stored copy and the volume's file go (removeMessageAudio: the volume's file stays while its e-mail is
 * pending). The promise never rejects: a copy that cannot be removed now is left to the worker's orphan sweep.
 */
export async function deleteMessageByPhone(
  ctx: TenantContext,
  access: MailboxAccess,
  messageId: string,
  storage: ObjectStorage,
): Promise<{ audioRemoved: Promise<boolean> }> {
  checkAccess(access, ctx.tenantId);
  const row = await runWrite(ctx, async (tx, record) => {
    const before = await findMessage(tx, ctx, access, messageId);
    await tx.voicemailMessage.delete({ where: { id: messageId } });
    await record({
      action: 'voicemail-message.delete',
      entityType: 'voicemail-message',
      entityId: messageId,
      before,
      notify: false,
      voicemailBoxId: access.boxId,
    });
    return before;
  });
  return { audioRemoved: removeMessageAudio(row, storage) };
}

/** A new PIN keyed in by phone (same rules as the API's: 4 to 12 digits). */
export async function changePinByPhone(
  ctx: TenantContext,
  access: MailboxAccess,
  pin: string,
): Promise<void> {
  checkAccess(access, ctx.tenantId);
  if (!Pin.safeParse(pin).success)
    throw new AppError('VALIDATION_FAILED', 'expected 4 to 12 digits', { field: 'pin' });
  const pinHash = await hashSecret(pin);
  await runWrite(ctx, async (tx, record) => {
    await tx.voicemailBox.update({
      where: { id: access.boxId, tenantId: ctx.tenantId },
      data: { pinHash, pinFailedAttempts: 0, pinLockedUntil: null },
    });
    await record({
      action: 'voicemail-box.pin-change',
      entityType: 'voicemail-box',
      entityId: access.boxId,
      notify: false,
    });
  });
}

/**
 * A greeting recorded by phone replaces the box's greeting of that kind the way an uploaded one does
 * (publishGreeting): the recording (written next to the greeting's place on the same volume) is stored in the
 * storage first, then the audited write sets the greeting time and renames it into place; so the API's download
 * serves it and the media refill puts it back. Storage trouble throws and leaves the old greeting; the recording
 * is removed either way.
 */
export async function setGreetingByPhone(
  ctx: TenantContext,
  store: { media: MediaLayout; storage: ObjectStorage },
  access: MailboxAccess,
  kind: GreetingKind,
  recording: { file: string; ms: number },
): Promise<void> {
  checkAccess(access, ctx.tenantId);
  const target = { type: 'voicemail-box', boxId: access.boxId, kind } as const;
  try {
    await publishGreeting(
      ctx,
      store.media,
      store.storage,
      target,
      recording.file,
      { source: 'phone', durationSec: recording.ms / 1000 },
      // The PIN proved the box; it must still be there.
      async (tx) => {
        const box = await tx.voicemailBox.findFirst({ where: { id: access.boxId, tenantId: ctx.tenantId } });
        if (!box) throw notFound('voicemail box');
        return { entityType: 'voicemail-box', entityId: box.id, updatedAt: box[BOX_COLUMN[kind]] };
      },
    );
  } finally {
    await rm(recording.file, { force: true });
  }
}
