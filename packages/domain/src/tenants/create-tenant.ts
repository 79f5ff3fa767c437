import type { CreateTenant } from '@pbx/contracts';
import type { Tenant } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { AppError } from '../errors.js';
import { compact } from '../shared/compact.js';
import { runWrite } from '../shared/run-write.js';
import { assertTenantCountry } from './assert-country.js';

export async function createTenant(ctx: PlatformContext, input: CreateTenant): Promise<Tenant> {
  assertTenantCountry(input.country);
  // A new tenant has no numbers yet, so no callback number can be its own: set it once a number is assigned.
  if (input.emergencyCallerIdNumber)
    throw new AppError(
      'VALIDATION_FAILED',
      'assign the tenant a number first, then make it the emergency callback number',
      {
        field: 'emergencyCallerIdNumber',
      },
    );
  return runWrite(ctx, async (tx, record) => {
    if (await tx.tenant.count({ where: { domain: input.domain } })) {
      throw new AppError('CONFLICT', `domain ${input.domain} is already used by another tenant`, {
        field: 'domain',
      });
    }
    const tenant = await tx.tenant.create({
      data: { ...compact(input), name: input.name, domain: input.domain },
    });
    await record({
      action: 'tenant.create',
      entityType: 'tenant',
      entityId: tenant.id,
      after: tenant,
      tenantId: tenant.id,
      domain: tenant.domain,
    });
    return tenant;
  });
}
