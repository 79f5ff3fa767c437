import type { FraudPolicy, UpdateFraudPolicy } from '@pbx/contracts';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { isAdmin, type TenantContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { compact } from '../shared/compact.js';
import { runWrite } from '../shared/run-write.js';
import { DEFAULT_FRAUD_SETTINGS } from './defaults.js';

function assertAdmin(ctx: TenantContext): void {
  if (!isAdmin(ctx.actor)) throw new AppError('FORBIDDEN', 'only admins see and change the fraud policy');
}

/** The tenant's outbound fraud policy: its stored settings (or the defaults) and the tenant's class switches. */
export async function getFraudPolicy(ctx: TenantContext): Promise<FraudPolicy> {
  assertAdmin(ctx);
  const tenant = await ctx.db.tenant.findUnique({
    where: { id: ctx.tenantId },
    select: {
      maxConcurrentOutbound: true,
      allowInternational: true,
      allowPremium: true,
      fraudPolicy: true,
    },
  });
  if (!tenant) throw notFound('tenant');
  const p = tenant.fraudPolicy;
  return {
    allowedCountries: p?.allowedCountries ?? [...DEFAULT_FRAUD_SETTINGS.allowedCountries],
    maxConcurrentPerExtension:
      p?.maxConcurrentPerExtension ?? DEFAULT_FRAUD_SETTINGS.maxConcurrentPerExtension,
    maxConcurrentPerTenant: tenant.maxConcurrentOutbound,
    velocityMaxCalls: p?.velocityMaxCalls ?? DEFAULT_FRAUD_SETTINGS.velocityMaxCalls,
    velocityWindowSec: p?.velocityWindowSec ?? DEFAULT_FRAUD_SETTINGS.velocityWindowSec,
    velocityBlockSec: p?.velocityBlockSec ?? DEFAULT_FRAUD_SETTINGS.velocityBlockSec,
    maxCallDurationSec: p?.maxCallDurationSec ?? DEFAULT_FRAUD_SETTINGS.maxCallDurationSec,
    allowInternational: tenant.allowInternational,
    allowPremium: tenant.allowPremium,
    updatedAt: p?.updatedAt.toISOString() ?? null,
  };
}

/**
 * Changes the tenant's fraud settings (tenant and platform admins; audited; the controllers drop their copy).
 * Whether the tenant may call abroad or premium numbers at all, and its tenant-wide cap, stay the platform
 * admin's (the tenant's own fields).
 */
export async function updateFraudPolicy(ctx: TenantContext, input: UpdateFraudPolicy): Promise<FraudPolicy> {
  assertAdmin(ctx);
  const countries = input.allowedCountries;
  if (countries) {
    const unknown = countries.find((c) => !isSupportedCountry(c));
    if (unknown !== undefined)
      throw new AppError('VALIDATION_FAILED', `${unknown} is not a country calls can be classified into`, {
        field: 'allowedCountries',
      });
  }
  const data = compact({
    ...input,
    ...(countries ? { allowedCountries: [...new Set(countries)].sort() } : {}),
  });
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.fraudPolicy.findUnique({ where: { tenantId: ctx.tenantId } });
    const after = await tx.fraudPolicy.upsert({
      where: { tenantId: ctx.tenantId },
      create: { tenantId: ctx.tenantId, ...data },
      update: data,
    });
    await record({
      action: 'fraud-policy.update',
      entityType: 'fraud-policy',
      entityId: ctx.tenantId,
      before,
      after,
    });
  });
  return getFraudPolicy(ctx);
}
