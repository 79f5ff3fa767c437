import type { ApiKey } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { notFound } from '../errors.js';
import { visibleKeys } from './visible-keys.js';

export async function getApiKey(ctx: PlatformContext, keyId: string): Promise<ApiKey> {
  const key = await ctx.db.apiKey.findFirst({ where: { id: keyId, ...visibleKeys(ctx.actor) } });
  if (!key) throw notFound('API key');
  return key;
}
