import type { TenantSettings } from '@pbx/contracts';
import type { Tenant } from '@pbx/db';
import { assertCallerIdAllowed } from '../caller-ids/assert-caller-id.js';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { compact } from '../shared/compact.js';
import { runWrite } from '../shared/run-write.js';
import { assertVersion } from '../shared/version.js';

/**
 * A tenant admin's own company settings. The default caller ID must be one of the tenant's numbers (as for an
 * extension's); everything else the contract bounds.
 */
export async function updateTenantSettings(
  ctx: TenantContext,
  input: TenantSettings,
  ifMatch?: string,
): Promise<Tenant> {
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.tenant.findUnique({ where: { id: ctx.tenantId } });
    if (!before) throw notFound('tenant');
    assertVersion(before, ifMatch);
    await assertCallerIdAllowed(tx, ctx.tenantId, input.defaultCallerIdNumber, 'defaultCallerIdNumber');
    const after = await tx.tenant.update({ where: { id: ctx.tenantId }, data: compact(input) });
    await record({
      action: 'tenant.update-settings',
      entityType: 'tenant',
      entityId: ctx.tenantId,
      before,
      after,
    });
    return after;
  });
}
