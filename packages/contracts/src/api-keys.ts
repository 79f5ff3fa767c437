import { z } from 'zod';
import { BooleanQuery, Name, PageQuery, Timestamp, Uuid, pageOf } from './common.js';
import { UserRoleSchema } from './users.js';

export const ApiKeySchema = z.object({
  id: Uuid,
  tenantId: Uuid.nullable(),
  name: z.string(),
  /** First characters of the key: enough to tell keys apart, useless to authenticate. */
  prefix: z.string(),
  role: UserRoleSchema,
  createdById: Uuid.nullable(),
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
});
export type CreateApiKey = z.infer<typeof CreateApiKeyBody>;

/** The only time the key is shown. */
export const CreatedApiKeySchema = ApiKeySchema.extend({ key: z.string() });

export const ListApiKeysQuery = PageQuery.extend({
  tenantId: Uuid.optional(),
  includeRevoked: BooleanQuery.optional(),
});
export const ApiKeyPage = pageOf(ApiKeySchema);
