import { rm } from 'node:fs/promises';
import type { MediaLayout } from '@pbx/media';
import type { ObjectStorage } from '@pbx/storage';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';
import {
  describeTarget,
  greetingKey,
  greetingPath,
  loadGreetingOwner,
  setGreetingTime,
  type GreetingTarget,
} from './target.js';

/** Removes a greeting (callers hear the spoken default again); file and stored copy go after the write commits. */
export async function deleteGreeting(
  ctx: TenantContext,
  layout: MediaLayout,
  storage: ObjectStorage,
  target: GreetingTarget,
): Promise<void> {
  await runWrite(ctx, async (tx, record) => {
    const owner = await loadGreetingOwner(tx, ctx, target);
    if (!owner.updatedAt) throw notFound('greeting');
    await setGreetingTime(tx, ctx, target, null);
    await record({
      action: `${owner.entityType}.greeting.delete`,
      entityType: owner.entityType,
      entityId: owner.entityId,
      before: { ...describeTarget(target), updatedAt: owner.updatedAt },
      after: null,
      // As for storing: the IVR runtime keeps menus per tenant snapshot.
      notify: target.type === 'ivr-menu',
    });
  });
  await rm(greetingPath(layout, ctx.tenantId, target), { force: true });
  await storage.delete(greetingKey(layout, ctx.tenantId, target));
}
