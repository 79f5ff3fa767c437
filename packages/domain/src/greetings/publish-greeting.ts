import type { MediaLayout } from '@pbx/media';
import { publishFile } from '@pbx/media';
import { CONTENT_TYPES, storeVerified, type ObjectStorage } from '@pbx/storage';
import type { TenantContext, Tx } from '../context.js';
import { runWrite } from '../shared/run-write.js';
import {
  describeTarget,
  greetingKey,
  greetingPath,
  setGreetingTime,
  type GreetingOwner,
  type GreetingTarget,
} from './target.js';

export type GreetingOrigin = { source: 'text' | 'upload' | 'phone'; durationSec: number };

/**
 * The one way a greeting becomes current, whether uploaded, typed or recorded by phone: the file in the stored
 * format at `temp` (next to its place) is stored in the storage and verified (a failed upload changes nothing),
 * then one audited write sets the greeting time (which is what the API's download and the media refill go by)
 * and, as its last step, renames the file into place, so a failed rename records nothing.
 * `loadOwner` checks, inside the transaction, that the owner is still there and the actor may change it.
 */
export async function publishGreeting(
  ctx: TenantContext,
  layout: MediaLayout,
  storage: ObjectStorage,
  target: GreetingTarget,
  temp: string,
  origin: GreetingOrigin,
  loadOwner: (tx: Tx) => Promise<GreetingOwner>,
): Promise<Date> {
  await storeVerified(
    storage,
    greetingKey(layout, ctx.tenantId, target),
    temp,
    CONTENT_TYPES.wav ?? 'audio/wav',
  );
  const updatedAt = new Date();
  await runWrite(ctx, async (tx, record) => {
    const owner = await loadOwner(tx);
    await setGreetingTime(tx, ctx, target, updatedAt);
    await record({
      action: `${owner.entityType}.greeting.store`,
      entityType: owner.entityType,
      entityId: owner.entityId,
      before: { ...describeTarget(target), updatedAt: owner.updatedAt },
      after: { ...describeTarget(target), updatedAt, ...origin },
      // The IVR runtime keeps menus per tenant snapshot: a menu's greeting changes what its next caller hears.
      // Voicemail boxes are read per call.
      notify: target.type === 'ivr-menu',
    });
    await publishFile(temp, greetingPath(layout, ctx.tenantId, target));
  });
  return updatedAt;
}
