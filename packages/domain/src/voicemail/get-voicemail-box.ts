import type { VoicemailBox } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';

export async function getVoicemailBox(ctx: TenantContext, boxId: string): Promise<VoicemailBox> {
  const row = await ctx.db.voicemailBox.findFirst({ where: { id: boxId, tenantId: ctx.tenantId } });
  if (!row) throw notFound('voicemail box');
  return row;
}
