import type { MediaLayout } from '@pbx/media';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { greetingKey, loadGreetingOwner, type GreetingTarget } from './target.js';

/** Where the greeting's durable copy (16 kHz mono PCM WAV) is in the storage; "not found" when there is none. */
export async function getGreetingAudio(
  ctx: TenantContext,
  layout: MediaLayout,
  target: GreetingTarget,
): Promise<{ storageKey: string; format: 'wav' }> {
  const owner = await loadGreetingOwner(ctx.db, ctx, target);
  if (!owner.updatedAt) throw notFound('greeting');
  return { storageKey: greetingKey(layout, ctx.tenantId, target), format: 'wav' };
}
