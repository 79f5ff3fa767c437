import type { VoicemailMessage } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';

export async function getVoicemailMessage(
  ctx: TenantContext,
  boxId: string,
  messageId: string,
): Promise<VoicemailMessage> {
  const row = await ctx.db.voicemailMessage.findFirst({
    where: { id: messageId, boxId, tenantId: ctx.tenantId },
  });
  if (!row) throw notFound('voicemail message');
  return row;
}
