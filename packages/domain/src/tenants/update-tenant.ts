import type { UpdateTenant } from '@pbx/contracts';
import type { Tenant } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { compact } from '../shared/compact.js';
import { runWrite } from '../shared/run-write.js';
import { assertVersion } from '../shared/version.js';
import { assertCallerIdAllowed } from '../caller-ids/assert-caller-id.js';
import { homeOf } from '../routing/numbers.js';
import { assertNoEmergencyClash } from '../shared/emergency-reserved.js';
import { assertTenantCountry } from './assert-country.js';

export async function updateTenant(
  ctx: PlatformContext,
  tenantId: string,
  input: UpdateTenant,
  ifMatch?: string,
): Promise<Tenant> {
  assertTenantCountry(input.country);
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.tenant.findUnique({ where: { id: tenantId } });
    if (!before) throw notFound('tenant');
    assertVersion(before, ifMatch);
    if (before.purgeAt && input.status === 'ACTIVE') {
      throw new AppError('CONFLICT', 'this tenant is scheduled for deletion: restore it instead', {
        field: 'status',
      });
    }
    const renamed = input.domain !== undefined && input.domain !== before.domain;
    if (renamed && input.domain) {
      if (await tx.tenant.count({ where: { domain: input.domain } })) {
        throw new AppError('CONFLICT', `domain ${input.domain} is already used by another tenant`, {
          field: 'domain',
        });
      }
      // The domain is the digest realm of every stored A1 hash: renaming would silently lock out all phones.
      if (await tx.extension.count({ where: { tenantId } })) {
        throw new AppError(
          'CONFLICT',
          'the domain cannot change while the tenant has extensions (their SIP credentials depend on it)',
          {
            field: 'domain',
          },
        );
      }
    }
    await assertCallerIdAllowed(tx, tenantId, input.emergencyCallerIdNumber, 'emergencyCallerIdNumber');
    const home = homeOf({
      country: input.country ?? before.country,
      defaultCallerIdNumber:
        input.defaultCallerIdNumber !== undefined
          ? input.defaultCallerIdNumber
          : before.defaultCallerIdNumber,
    });
    if (home.country !== homeOf(before).country)
      await assertNoEmergencyClash(tx, tenantId, home, input.country ? 'country' : 'defaultCallerIdNumber');
    const after = await tx.tenant.update({ where: { id: tenantId }, data: compact(input) });
    await record({
      action: 'tenant.update',
      entityType: 'tenant',
      entityId: tenantId,
      before,
      after,
      tenantId,
      domain: after.domain,
      ...(renamed ? { previousDomain: before.domain } : {}),
    });
    return after;
  });
}
