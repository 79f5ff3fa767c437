import { rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { mediaLayout } from '@pbx/media';
import { storageKeys, type ObjectStorage } from '@pbx/storage';
import type { PlatformContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';

export type PurgeOptions = {
  /** The tenant's domain, repeated by whoever purges by hand (absent for the scheduled purge). */
  confirmDomain?: string;
  /** Where call recordings live (`<dir>/<tenantId>/...`, as the controller's dialplan writes them). */
  recordingsDir: string | null;
  /** MEDIA_DIR: the tenant's greetings and voicemail audio are under its `tenants/<tenantId>` directory. */
  mediaDir: string | null;
  /** The durable copies (recordings, voicemail audio, greetings): everything under the tenant's prefix goes. */
  storage: ObjectStorage;
};

/**
 * Destroys a tenant whose deletion was requested: its audio first (every local file its recordings and
 * voicemail messages point to, its recordings directory, its media directory and every object under its
 * prefix in the storage), then every row in one transaction,
 * audited at platform level. Files go first so a failure leaves rows that a retry finds again,
 * never audio that nothing points to any more; the tenant is suspended, so nothing new is recorded.
 */
export async function purgeTenant(
  ctx: PlatformContext,
  tenantId: string,
  options: PurgeOptions,
): Promise<{ files: number; objects: number }> {
  const tenant = await ctx.db.tenant.findUnique({ where: { id: tenantId } });
  if (!tenant) throw notFound('tenant');
  if (!tenant.purgeAt) {
    throw new AppError('CONFLICT', 'delete the tenant first (DELETE suspends it and schedules the purge)');
  }
  if (options.confirmDomain !== undefined && options.confirmDomain !== tenant.domain) {
    throw new AppError('VALIDATION_FAILED', "confirmDomain must be the tenant's domain", {
      field: 'confirmDomain',
    });
  }
  const [recordings, messages] = await Promise.all([
    ctx.db.callRecording.findMany({ where: { tenantId }, select: { filePath: true } }),
    ctx.db.voicemailMessage.findMany({ where: { tenantId }, select: { filePath: true } }),
  ]);
  // A READY recording's filePath is its storage key, removed with the prefix below; only paths are local files.
  const files = [...recordings, ...messages].map((r) => r.filePath).filter((p) => isAbsolute(p));
  for (const file of files) await rm(file, { force: true });
  const objects = await options.storage.deletePrefix(storageKeys.tenant(tenantId));
  if (options.recordingsDir)
    await rm(join(options.recordingsDir, tenantId), { recursive: true, force: true });
  if (options.mediaDir)
    await rm(mediaLayout(options.mediaDir).tenantDir(tenantId), { recursive: true, force: true });

  await runWrite(ctx, async (tx, record) => {
    const before = await tx.tenant.findUnique({ where: { id: tenantId } });
    if (!before?.purgeAt) throw new AppError('CONFLICT', 'the tenant was restored meanwhile');
    await tx.tenant.delete({ where: { id: tenantId } });
    await record({
      action: 'tenant.purge',
      entityType: 'tenant',
      entityId: tenantId,
      before,
      after: { files: files.length, objects, scheduled: options.confirmDomain === undefined },
      tenantId,
      auditTenantId: null,
      domain: before.domain,
    });
  });
  return { files: files.length, objects };
}
