import type { MediaLayout } from '@pbx/media';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { greetingPath, loadGreetingOwner, type GreetingTarget } from './target.js';

/** The stored greeting's file (16 kHz mono PCM WAV) for download; "not found" when there is none. */
export async function getGreetingAudio(
  ctx: TenantContext,
  layout: MediaLayout,
  target: GreetingTarget,
): Promise<{ filePath: string; format: 'wav' }> {
  const owner = await loadGreetingOwner(ctx.db, ctx, target);
  if (!owner.updatedAt) throw notFound('greeting');
  return { filePath: greetingPath(layout, ctx.tenantId, target), format: 'wav' };
}
