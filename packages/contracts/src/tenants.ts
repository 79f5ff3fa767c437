import { z } from 'zod';
import { CountryCodeSchema } from './fraud.js';
import { E164, EmergencyLocation, Name, Timestamp, Uuid, PageQuery, pageOf } from './common.js';

const Domain = z
  .string()
  .max(253)
  .regex(
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/,
    'expected a lower-case domain name',
  );
const TimeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'expected an IANA time zone such as Europe/Berlin');

export const TenantStatusSchema = z.enum(['ACTIVE', 'SUSPENDED']);
export const TenantRecordingPolicySchema = z.enum(['NEVER', 'ALWAYS']);

export const TenantSchema = z.object({
  id: Uuid,
  name: z.string(),
  domain: z.string(),
  timeZone: z.string(),
  /** Where the tenant's phones dial from (national numbers, emergency numbers); null: not set (see docs/trunks.md). */
  country: z.string().nullable(),
  status: TenantStatusSchema,
  maxExtensions: z.number().int(),
  maxConcurrentOutbound: z.number().int(),
  allowInternational: z.boolean(),
  allowPremium: z.boolean(),
  recordingPolicy: TenantRecordingPolicySchema,
  recordingRetentionDays: z.number().int(),
  /** Days voicemail messages are kept (then deleted, row and audio); null: kept until deleted. */
  voicemailRetentionDays: z.number().int().nullable(),
  /** From: of the tenant's voicemail e-mails; null: the platform's address (MAIL_FROM) with the tenant's name. */
  emailFrom: z.string().nullable(),
  defaultCallerIdNumber: z.string().nullable(),
  /** Emergency calls: callback number and location identifier of extensions that set none. */
  emergencyCallerIdNumber: z.string().nullable(),
  emergencyLocation: z.string().nullable(),
  /** Set when deletion was requested: the tenant stays suspended and is purged (rows and files) then. */
  purgeAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Tenant = z.infer<typeof TenantSchema>;

export const CreateTenantBody = z.strictObject({
  name: Name(120),
  domain: Domain,
  timeZone: TimeZone.optional(),
  /** The domain also requires a country libphonenumber knows: its dialling rules are what the code is for. */
  country: CountryCodeSchema.optional(),
  status: TenantStatusSchema.optional(),
  maxExtensions: z.number().int().min(1).max(100_000).optional(),
  maxConcurrentOutbound: z.number().int().min(0).max(10_000).optional(),
  allowInternational: z.boolean().optional(),
  allowPremium: z.boolean().optional(),
  recordingPolicy: TenantRecordingPolicySchema.optional(),
  recordingRetentionDays: z.number().int().min(1).max(3650).optional(),
  voicemailRetentionDays: z.number().int().min(1).max(3650).nullable().optional(),
  // A bare address (no display name: the tenant's name is shown); z.email refuses line breaks and the like.
  emailFrom: z.email({ message: 'expected an e-mail address' }).max(254).nullable().optional(),
  defaultCallerIdNumber: E164.nullable().optional(),
  /** Must be the tenant's own number (an inbound number, or verified for it), like every caller ID. */
  emergencyCallerIdNumber: E164.nullable().optional(),
  emergencyLocation: EmergencyLocation.nullable().optional(),
});
export type CreateTenant = z.infer<typeof CreateTenantBody>;
export const UpdateTenantBody = CreateTenantBody.partial();
export type UpdateTenant = z.infer<typeof UpdateTenantBody>;

/**
 * What a tenant's own admins may change about their company. The SIP domain, limits, status and destination
 * classes stay the platform admin's (PATCH /v1/tenants/:id).
 */
export const TenantSettingsBody = CreateTenantBody.pick({
  name: true,
  timeZone: true,
  recordingPolicy: true,
  recordingRetentionDays: true,
  defaultCallerIdNumber: true,
}).partial();
export type TenantSettings = z.infer<typeof TenantSettingsBody>;

export const ListTenantsQuery = PageQuery.extend({
  search: z.string().max(120).optional(),
  status: TenantStatusSchema.optional(),
});
export const TenantPage = pageOf(TenantSchema);

/** Purging now destroys every row and audio file of the tenant: the caller repeats the tenant's domain. */
export const PurgeTenantBody = z.strictObject({
  confirmDomain: z.string().min(1).max(253),
});
export type PurgeTenant = z.infer<typeof PurgeTenantBody>;
