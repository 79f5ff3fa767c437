import { z } from 'zod';

/**
 * A tenant's outbound fraud settings as routing reads them. No stored row means these defaults, which are also
 * the columns' defaults in prisma/schema.prisma (model FraudPolicy): on for every tenant from the first boot.
 */
export const FraudSettingsSchema = z.strictObject({
  allowedCountries: z.array(z.string()),
  maxConcurrentPerExtension: z.number().int(),
  velocityMaxCalls: z.number().int(),
  velocityWindowSec: z.number().int(),
  velocityBlockSec: z.number().int(),
  maxCallDurationSec: z.number().int(),
  /** This many fraud-refused external calls of one extension within the window raise one alert (0: off). */
  refusedAlertCount: z.number().int().optional(),
  refusedAlertWindowSec: z.number().int().optional(),
});
export type FraudSettings = z.infer<typeof FraudSettingsSchema>;

export const DEFAULT_FRAUD_SETTINGS: FraudSettings = Object.freeze({
  allowedCountries: [],
  maxConcurrentPerExtension: 2,
  velocityMaxCalls: 20,
  velocityWindowSec: 600,
  velocityBlockSec: 3600,
  maxCallDurationSec: 14_400,
  refusedAlertCount: 5,
  refusedAlertWindowSec: 600,
});
