import { z } from 'zod';
import { DialNumber, Timestamp, Uuid } from './common.js';

// The outbound fraud policy of issue #14: what a tenant's phones may call out to, how many external calls at once,
// how fast, and for how long. Destination classes (international, premium) stay on the tenant
// (allowInternational / allowPremium, set by platform admins); the rest is the tenant admin's.

/** ISO 3166-1 alpha-2, upper case (`DE`, `US`, `GB`). The domain also checks it is a country it can classify. */
export const CountryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code such as DE');

/** One extension's override of the allow-list: countries it may call although the tenant's list does not name them. */
export const ExtensionCountriesSchema = z.strictObject({
  extension: DialNumber,
  countries: z.array(CountryCodeSchema).min(1).max(250),
});
export type ExtensionCountries = z.infer<typeof ExtensionCountriesSchema>;

export const FraudPolicySchema = z.object({
  /** Countries international calls may reach; empty: any (once the tenant may call abroad at all). */
  allowedCountries: z.array(CountryCodeSchema),
  maxConcurrentPerExtension: z.number().int(),
  /** Tenant-wide external calls at once; the platform admin's setting (the tenant's maxConcurrentOutbound). */
  maxConcurrentPerTenant: z.number().int(),
  velocityMaxCalls: z.number().int(),
  velocityWindowSec: z.number().int(),
  velocityBlockSec: z.number().int(),
  maxCallDurationSec: z.number().int(),
  /** Per-extension overrides of allowedCountries (only meaningful while allowedCountries is not empty). */
  extensionCountries: z.array(ExtensionCountriesSchema),
  /** This many fraud-refused external calls from one extension within refusedAlertWindowSec: one alert (0: off). */
  refusedAlertCount: z.number().int(),
  refusedAlertWindowSec: z.number().int(),
  allowInternational: z.boolean(),
  allowPremium: z.boolean(),
  updatedAt: Timestamp.nullable(),
});
export type FraudPolicy = z.infer<typeof FraudPolicySchema>;

export const UpdateFraudPolicyBody = z.strictObject({
  allowedCountries: z.array(CountryCodeSchema).max(250).optional(),
  maxConcurrentPerExtension: z.number().int().min(0).max(1000).optional(),
  velocityMaxCalls: z.number().int().min(1).max(10_000).optional(),
  velocityWindowSec: z.number().int().min(60).max(86_400).optional(),
  velocityBlockSec: z
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .optional(),
  maxCallDurationSec: z.number().int().min(60).max(86_400).optional(),
  /** Replaces every override; an extension listed twice, or not of this tenant, is refused. */
  extensionCountries: z.array(ExtensionCountriesSchema).max(1_000).optional(),
  refusedAlertCount: z.number().int().min(0).max(10_000).optional(),
  refusedAlertWindowSec: z.number().int().min(60).max(86_400).optional(),
});
export type UpdateFraudPolicy = z.infer<typeof UpdateFraudPolicyBody>;

/** An extension whose external calling the velocity rule stopped. */
export const FraudBlockSchema = z.object({
  tenantId: Uuid,
  extension: z.string(),
  reason: z.string(),
  calls: z.number().int().nonnegative(),
  windowSec: z.number().int().positive(),
  blockedAt: Timestamp,
  until: Timestamp,
});
export type FraudBlock = z.infer<typeof FraudBlockSchema>;
export const FraudBlockListSchema = z.object({ items: z.array(FraudBlockSchema) });

/** Why the fraud policy refused an external call (the CDR's blockedReason). */
export const FraudRefusalSchema = z.enum([
  'COUNTRY_BLOCKED',
  'EXTENSION_BLOCKED',
  'EXTENSION_CONCURRENT_LIMIT',
  'CONCURRENT_LIMIT',
  'VELOCITY_BLOCKED',
]);
export type FraudRefusal = z.infer<typeof FraudRefusalSchema>;
