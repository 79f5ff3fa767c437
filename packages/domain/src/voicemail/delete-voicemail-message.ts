import type { ObjectStorage } from '@pbx/storage';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';
import { assertBoxOwner } from './assert-box-owner.js';
import { removeMessageAudio } from './phone/audio-files.js';

/**
 * Deletes the row, then (best effort, after commit) the stored copy and the file on the media volume, the latter
 * unless its e-mail is pending (see removeMessageAudio).
 */
export async function deleteVoicemailMessage(
  ctx: TenantContext,
  storage: ObjectStorage,
  boxId: string,
  messageId: string,
): Promise<void> {
  const before = await runWrite(ctx, async (tx, record) => {
    await assertBoxOwner(tx, ctx, boxId);
    const row = await tx.voicemailMessage.findFirst({
      where: { id: messageId, boxId, tenantId: ctx.tenantId },
    });
    if (!row) throw notFound('voicemail message');
    await tx.voicemailMessage.delete({ where: { id: messageId } });
    await record({
      action: 'voicemail-message.delete',
      entityType: 'voicemail-message',
      entityId: messageId,
      before: row,
      // Message counts are not configuration: the lamp is refreshed, the controllers' tenant cache is kept.
      notify: false,
      voicemailBoxId: boxId,
    });
    return row;
  });
  await removeMessageAudio(before, storage);
}
