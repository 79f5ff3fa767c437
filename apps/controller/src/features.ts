import { DestinationSchema } from '@pbx/contracts';
import type { Db } from '@pbx/db';
import {
  featureCodeActor,
  notFound,
  setExtensionDnd,
  setExtensionForward,
  type ChangeNotifier,
  type TenantContext,
} from '@pbx/domain';
import type { FeatureEffect, TenantSnapshot } from '@pbx/domain/routing';

export type FeatureDeps = { prisma: Db; notify: ChangeNotifier };

/**
 * Applies what a feature code changes (DND, call forwarding) as the dialing phone, through the domain: the same
 * checks as the API, an audit row naming the extension, and the controllers told through `notify`.
 */
export async function applyFeature(
  deps: FeatureDeps,
  snapshot: TenantSnapshot,
  effect: FeatureEffect,
): Promise<void> {
  const ext = snapshot.extensions.find((e) => e.id === effect.extensionId);
  if (!ext) throw notFound('extension');
  const ctx: TenantContext = {
    db: deps.prisma,
    notify: deps.notify,
    actor: featureCodeActor(snapshot.tenant.id, ext),
    tenantId: snapshot.tenant.id,
    domain: snapshot.tenant.domain,
  };
  if (effect.type === 'set_dnd') await setExtensionDnd(ctx, ext.id, effect.value);
  else
    await setExtensionForward(
      ctx,
      ext.id,
      effect.destination ? DestinationSchema.parse(effect.destination) : null,
    );
}
