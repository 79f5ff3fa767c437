import type { ApiKeyScope, CreateApiKey } from '@pbx/contracts';
import type { ApiKey } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { hasScope, requireScope } from '../auth/scopes.js';
import { AppError } from '../errors.js';
import { generateApiKey } from '../security/tokens.js';
import { runWrite } from '../shared/run-write.js';

const DEFAULT_SCOPES: ApiKeyScope[] = ['READ', 'WRITE'];

/**
 * A platform admin creates platform keys, or TENANT_ADMIN keys for a given
 * tenant; a tenant admin creates TENANT_ADMIN keys for its own tenant. The key
 * is returned once; only its SHA-256 is kept. A key may mint keys only with
 * the API_KEYS scope; a minted key has at most its parent's scopes and expiry,
 * acts for the parent's user and is revoked with the parent.
 */
export async function createApiKey(
  ctx: PlatformContext,
  input: CreateApiKey,
): Promise<{ apiKey: ApiKey; key: string }> {
  const { actor } = ctx;
  requireScope(actor, 'API_KEYS');
  let tenantId: string | null;
  if (actor.role === 'PLATFORM_ADMIN') tenantId = input.tenantId ?? null;
  else if (input.tenantId === undefined || input.tenantId === actor.tenantId) tenantId = actor.tenantId;
  else throw new AppError('FORBIDDEN', 'you can only create keys for your own tenant', { field: 'tenantId' });
  const scopes = input.scopes ?? DEFAULT_SCOPES;
  const beyond = scopes.filter((s) => !hasScope(actor, s));
  if (beyond.length) {
    throw new AppError('FORBIDDEN', `a key cannot have scopes its creator lacks: ${beyond.join(', ')}`, {
      field: 'scopes',
    });
  }
  let expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= new Date()) {
    throw new AppError('VALIDATION_FAILED', 'expiresAt must be in the future', { field: 'expiresAt' });
  }
  const generated = generateApiKey();
  return runWrite(ctx, async (tx, record) => {
    if (tenantId && !(await tx.tenant.count({ where: { id: tenantId } }))) {
      throw new AppError('VALIDATION_FAILED', 'no such tenant', { field: 'tenantId' });
    }
    let createdById = actor.userId;
    if (actor.apiKeyId) {
      const parent = await tx.apiKey.findUniqueOrThrow({ where: { id: actor.apiKeyId } });
      createdById = parent.createdById;
      if (parent.expiresAt && expiresAt && expiresAt > parent.expiresAt) {
        throw new AppError('VALIDATION_FAILED', 'a minted key cannot outlive the key that mints it', {
          field: 'expiresAt',
        });
      }
      expiresAt ??= parent.expiresAt;
    }
    const apiKey = await tx.apiKey.create({
      data: {
        tenantId,
        name: input.name,
        prefix: generated.prefix,
        keyHash: generated.hash,
        role: tenantId ? 'TENANT_ADMIN' : 'PLATFORM_ADMIN',
        scopes,
        createdById,
        parentKeyId: actor.apiKeyId,
        expiresAt,
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
