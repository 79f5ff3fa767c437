import { z } from 'zod';
import { BooleanQuery, Name, PageQuery, Timestamp, Uuid, pageOf } from './common.js';
import { UserRoleSchema } from './users.js';

/**
 * What a key may do besides its role: READ (GET routes), WRITE (change configuration, control calls),
 * USERS (manage portal users; creating or promoting a TENANT_ADMIN needs every scope), API_KEYS (mint
 * and revoke keys). A key never holds more than the key or user that created it.
 */
export const ApiKeyScopeSchema = z.enum(['READ', 'WRITE', 'USERS', 'API_KEYS']);
export type ApiKeyScope = z.infer<typeof ApiKeyScopeSchema>;
export const ALL_API_KEY_SCOPES: readonly ApiKeyScope[] = ApiKeyScopeSchema.options;

export const ApiKeySchema = z.object({
  id: Uuid,
  tenantId: Uuid.nullable(),
  name: z.string(),
  /** First characters of the key: enough to tell keys apart, useless to authenticate. */
  prefix: z.string(),
  role: UserRoleSchema,
  scopes: z.array(ApiKeyScopeSchema),
  /** The user the key acts for (with that user's current rights); null for bootstrap keys. */
  createdById: Uuid.nullable(),
  /** The key that minted this one; revoking it revokes this one too. */
  parentKeyId: Uuid.nullable(),
  lastUsedAt: Timestamp.nullable(),
  expiresAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const CreateApiKeyBody = z.strictObject({
  name: Name(120),
  /**
   * Platform admins only: create a TENANT_ADMIN key for this tenant (omit for a
   * platform key). Tenant admins always create keys for their own tenant.
   */
  tenantId: Uuid.optional(),
  expiresAt: Timestamp.optional(),
  /** Default READ and WRITE; never more than the caller holds. */
  scopes: z
    .array(ApiKeyScopeSchema)
    .min(1)
    .max(ApiKeyScopeSchema.options.length)
    .refine((s) => new Set(s).size === s.length, 'expected each scope once')
    .optional(),
});
export type CreateApiKey = z.infer<typeof CreateApiKeyBody>;

/** The only time the key is shown. */
export const CreatedApiKeySchema = ApiKeySchema.extend({ key: z.string() });

export const ListApiKeysQuery = PageQuery.extend({
  tenantId: Uuid.optional(),
  includeRevoked: BooleanQuery.optional(),
});
export const ApiKeyPage = pageOf(ApiKeySchema);
