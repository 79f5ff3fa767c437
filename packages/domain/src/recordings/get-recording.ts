import type { CallRecording } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';

export async function getRecording(ctx: TenantContext, recordingId: string): Promise<CallRecording> {
  const row = await ctx.db.callRecording.findFirst({ where: { id: recordingId, tenantId: ctx.tenantId } });
  if (!row) throw notFound('recording');
  return row;
}
