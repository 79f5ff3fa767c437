import { z } from 'zod';
import { Uuid } from './common.js';
import { UserRoleSchema } from './users.js';

export const LoginBody = z.strictObject({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(128),
});
export type Login = z.infer<typeof LoginBody>;

export const MeSchema = z.object({
  role: UserRoleSchema,
  user: z.object({ id: Uuid, email: z.string(), name: z.string() }).nullable(),
  apiKey: z.object({ id: Uuid, name: z.string(), prefix: z.string() }).nullable(),
  /** The time zone is the tenant's clock, on which every date the portal shows is written. */
  tenant: z.object({ id: Uuid, name: z.string(), domain: z.string(), timeZone: z.string() }).nullable(),
  /** The extension a TENANT_USER manages, with its voicemail box. */
  extension: z.object({ id: Uuid, number: z.string(), voicemailBoxId: Uuid.nullable() }).nullable(),
});
export type Me = z.infer<typeof MeSchema>;

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(128),
  newPassword: z.string().min(12, 'expected at least 12 characters').max(128),
});
export type ChangePassword = z.infer<typeof ChangePasswordBody>;
