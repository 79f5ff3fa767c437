import type { VoicemailMessage } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';
import { assertBoxOwner } from './assert-box-owner.js';

/** Marks read/unread; the controller refreshes the phone's message-waiting light on the change event. */
export async function markVoicemailMessage(
  ctx: TenantContext,
  boxId: string,
  messageId: string,
  read: boolean,
): Promise<VoicemailMessage> {
  return runWrite(ctx, async (tx, record) => {
    await assertBoxOwner(tx, ctx, boxId);
    const before = await tx.voicemailMessage.findFirst({
      where: { id: messageId, boxId, tenantId: ctx.tenantId },
    });
    if (!before) throw notFound('voicemail message');
    const after = await tx.voicemailMessage.update({
      where: { id: messageId },
      data: { readAt: read ? (before.readAt ?? new Date()) : null },
    });
    await record({
      action: read ? 'voicemail-message.read' : 'voicemail-message.unread',
      entityType: 'voicemail-message',
      entityId: messageId,
      before,
      after,
      // Message counts are not configuration: the lamp is refreshed, the controllers' tenant cache is kept.
      notify: false,
      voicemailBoxId: boxId,
    });
    return after;
  });
}
