import type { ExtensionCountries, FraudPolicy, UpdateFraudPolicy } from '@pbx/contracts';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { isAdmin, type TenantContext, type Tx } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { compact } from '../shared/compact.js';
import { runWrite } from '../shared/run-write.js';
import { DEFAULT_FRAUD_SETTINGS } from './defaults.js';

const DEFAULT_REFUSED_ALERT = {
  count: DEFAULT_FRAUD_SETTINGS.refusedAlertCount ?? 5,
  windowSec: DEFAULT_FRAUD_SETTINGS.refusedAlertWindowSec ?? 600,
};

function assertCountries(countries: readonly string[], field: string): void {
  const unknown = countries.find((c) => !isSupportedCountry(c));
  if (unknown !== undefined)
    throw new AppError('VALIDATION_FAILED', `${unknown} is not a country calls can be classified into`, {
      field,
    });
}

/**
 * Replaces the tenant's per-extension overrides. Extensions are looked up in this tenant only: another tenant's
 * number is "not an extension of this tenant", like a number that does not exist.
 */
async function replaceOverrides(tx: Tx, tenantId: string, list: readonly ExtensionCountries[]) {
  const numbers = list.map((o) => o.extension);
  const twice = numbers.findIndex((n, i) => numbers.indexOf(n) !== i);
  if (twice >= 0)
    throw new AppError('VALIDATION_FAILED', `extension ${numbers[twice]} is listed twice`, {
      field: `extensionCountries[${twice}].extension`,
    });
  const found = await tx.extension.findMany({
    where: { tenantId, number: { in: numbers } },
    select: { id: true, number: true },
  });
  const missing = numbers.findIndex((n) => !found.some((e) => e.number === n));
  if (missing >= 0)
    throw new AppError('VALIDATION_FAILED', `${numbers[missing]} is not an extension of this tenant`, {
      field: `extensionCountries[${missing}].extension`,
    });
  const before = await tx.extension.findMany({
    where: { tenantId, extraCountries: { isEmpty: false } },
    select: { number: true, extraCountries: true },
    orderBy: { number: 'asc' },
  });
  await tx.extension.updateMany({ where: { tenantId }, data: { extraCountries: [] } });
  for (const o of list)
    await tx.extension.updateMany({
      where: { tenantId, number: o.extension },
      data: { extraCountries: [...new Set(o.countries)].sort() },
    });
  return {
    before: before.map((e) => ({ extension: e.number, countries: e.extraCountries })),
    after: list.map((o) => ({ extension: o.extension, countries: [...new Set(o.countries)].sort() })),
  };
}

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
      extensions: {
        where: { extraCountries: { isEmpty: false } },
        select: { number: true, extraCountries: true },
        orderBy: { number: 'asc' },
      },
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
    extensionCountries: tenant.extensions.map((e) => ({ extension: e.number, countries: e.extraCountries })),
    refusedAlertCount: p?.refusedAlertCount ?? DEFAULT_REFUSED_ALERT.count,
    refusedAlertWindowSec: p?.refusedAlertWindowSec ?? DEFAULT_REFUSED_ALERT.windowSec,
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
  const { extensionCountries, ...settings } = input;
  const countries = settings.allowedCountries;
  if (countries) assertCountries(countries, 'allowedCountries');
  extensionCountries?.forEach((o, i) => assertCountries(o.countries, `extensionCountries[${i}].countries`));
  const data = compact({
    ...settings,
    ...(countries ? { allowedCountries: [...new Set(countries)].sort() } : {}),
  });
  await runWrite(ctx, async (tx, record) => {
    const before = await tx.fraudPolicy.findUnique({ where: { tenantId: ctx.tenantId } });
    const after = await tx.fraudPolicy.upsert({
      where: { tenantId: ctx.tenantId },
      create: { tenantId: ctx.tenantId, ...data },
      update: data,
    });
    const overrides = extensionCountries
      ? await replaceOverrides(tx, ctx.tenantId, extensionCountries)
      : undefined;
    await record({
      action: 'fraud-policy.update',
      entityType: 'fraud-policy',
      entityId: ctx.tenantId,
      before: overrides ? { ...before, extensionCountries: overrides.before } : before,
      after: overrides ? { ...after, extensionCountries: overrides.after } : after,
    });
  });
  return getFraudPolicy(ctx);
}
