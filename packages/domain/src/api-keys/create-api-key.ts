import type { CreateApiKey } from '@pbx/contracts';
import type { ApiKey } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { AppError } from '../errors.js';
import { generateApiKey } from '../security/tokens.js';
import { runWrite } from '../shared/run-write.js';

/**
 * A platform admin creates platform keys, or TENANT_ADMIN keys for a given
 * tenant; a tenant admin creates TENANT_ADMIN keys for its own tenant. The key
 * is returned once; only its SHA-256 is kept.
 */
export async function createApiKey(
  ctx: PlatformContext,
  input: CreateApiKey,
): Promise<{ apiKey: ApiKey; key: string }> {
  const { actor } = ctx;
  let tenantId: string | null;
  if (actor.role === 'PLATFORM_ADMIN') tenantId = input.tenantId ?? null;
  else if (input.tenantId === undefined || input.tenantId === actor.tenantId) tenantId = actor.tenantId;
  else throw new AppError('FORBIDDEN', 'you can only create keys for your own tenant', { field: 'tenantId' });
  if (input.expiresAt !== undefined && new Date(input.expiresAt) <= new Date()) {
    throw new AppError('VALIDATION_FAILED', 'expiresAt must be in the future', { field: 'expiresAt' });
  }
  const generated = generateApiKey();
  return runWrite(ctx, async (tx, record) => {
    if (tenantId && !(await tx.tenant.count({ where: { id: tenantId } }))) {
      throw new AppError('VALIDATION_FAILED', 'no such tenant', { field: 'tenantId' });
    }
    const apiKey = await tx.apiKey.create({
      data: {
        tenantId,
        name: input.name,
        prefix: generated.prefix,
        keyHash: generated.hash,
        role: tenantId ? 'TENANT_ADMIN' : 'PLATFORM_ADMIN',
        createdById: actor.userId,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      },
    });
    await record({
      action: 'api-key.create',
      entityType: 'api-key',
      entityId: apiKey.id,
      after: apiKey,
      tenantId,
      notify: false,
    });
    return { apiKey, key: generated.key };
  });
}
