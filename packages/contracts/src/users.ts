import { z } from 'zod';
import { Name, PageQuery, Timestamp, Uuid, pageOf } from './common.js';

export const UserRoleSchema = z.enum(['PLATFORM_ADMIN', 'TENANT_ADMIN', 'TENANT_USER']);
export const TenantRoleSchema = z.enum(['TENANT_ADMIN', 'TENANT_USER']);

/** Lower case only: logins compare e-mails exactly, so the API never changes what was sent. */
export const Email = z
  .email()
  .max(254)
  .refine((e) => e === e.toLowerCase(), 'expected a lower-case e-mail address');
export const Password = z.string().min(12, 'expected at least 12 characters').max(128);

export const UserSchema = z.object({
  id: Uuid,
  tenantId: Uuid.nullable(),
  email: z.string(),
  name: z.string(),
  role: UserRoleSchema,
  extensionId: Uuid.nullable(),
  disabled: z.boolean(),
  lockedUntil: Timestamp.nullable(),
  lastLoginAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type User = z.infer<typeof UserSchema>;

export const CreateUserBody = z.strictObject({
  email: Email,
  name: Name(120).optional(),
  password: Password,
  role: TenantRoleSchema,
  /** The extension a TENANT_USER manages (must belong to the same tenant). */
  extensionId: Uuid.nullable().optional(),
  disabled: z.boolean().optional(),
});
export type CreateUser = z.infer<typeof CreateUserBody>;
export const UpdateUserBody = CreateUserBody.partial();
export type UpdateUser = z.infer<typeof UpdateUserBody>;

export const ListUsersQuery = PageQuery.extend({
  role: TenantRoleSchema.optional(),
  search: z.string().max(254).optional(),
});
export const UserPage = pageOf(UserSchema);
