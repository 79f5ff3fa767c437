import type { Db } from '@pbx/db';
import type { ObjectStorage } from '@pbx/storage';
import type { ChangeNotifier } from '../context.js';
import { purgeTenant } from '../tenants/purge-tenant.js';

export type PurgeDueOptions = {
  prisma: Db;
  now: Date;
  recordingsDir: string | null;
  mediaDir: string | null;
  storage: ObjectStorage;
  notify: ChangeNotifier;
  log?: (line: string) => void;
};

/**
 * Purges every tenant whose deletion grace period has ended, as the platform (audited with no
 * user). One failure does not stop the others; the next sweep retries it.
 */
export async function purgeDueTenants(options: PurgeDueOptions): Promise<{ purged: number; failed: number }> {
  const due = await options.prisma.tenant.findMany({
    where: { purgeAt: { lte: options.now } },
    select: { id: true },
    orderBy: { purgeAt: 'asc' },
  });
  const ctx = {
    db: options.prisma,
    notify: options.notify,
    actor: {
      userId: null,
      apiKeyId: null,
      role: 'PLATFORM_ADMIN' as const,
      tenantId: null,
      extensionId: null,
      ip: null,
    },
  };
  let purged = 0;
  let failed = 0;
  for (const { id } of due) {
    try {
      await purgeTenant(ctx, id, {
        recordingsDir: options.recordingsDir,
        mediaDir: options.mediaDir,
        storage: options.storage,
      });
      purged++;
    } catch (error) {
      failed++;
      options.log?.(`purging tenant ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { purged, failed };
}
