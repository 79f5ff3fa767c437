import type { Tx } from '../context.js';
import { AppError } from '../errors.js';
import { isEmergencyNumber } from '../routing/emergency.js';
import { homeOf, type DialingHome } from '../routing/numbers.js';

async function homeOfTenant(tx: Tx, tenantId: string): Promise<DialingHome> {
  const t = await tx.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: { country: true, defaultCallerIdNumber: true },
  });
  return homeOf(t);
}

/**
 * Emergency numbers of the tenant's country are reserved (issue #16): an extension, ring group or IVR menu numbered
 * 112 or 911 would otherwise take the call meant for the emergency services.
 */
export async function assertNotEmergencyNumber(tx: Tx, tenantId: string, number: string): Promise<void> {
  const home = await homeOfTenant(tx, tenantId);
  if (isEmergencyNumber(number, home.country))
    throw new AppError(
      'VALIDATION_FAILED',
      `${number} is an emergency number${home.country ? ` in ${home.country}` : ''} and cannot be used inside the PBX`,
      { field: 'number' },
    );
}

/**
 * Refuses a change of the tenant's country (or of the main number it is taken from) that would turn numbers the
 * tenant already uses into emergency numbers: the admin renumbers them first.
 */
export async function assertNoEmergencyClash(
  tx: Tx,
  tenantId: string,
  home: DialingHome,
  field: string,
): Promise<void> {
  const where = { tenantId, number: { not: null } };
  const rows = [
    ...(await tx.extension.findMany({ where: { tenantId }, select: { number: true } })),
    ...(await tx.ringGroup.findMany({ where, select: { number: true } })),
    ...(await tx.ivrMenu.findMany({ where, select: { number: true } })),
  ];
  const clash = rows.flatMap((r) =>
    r.number && isEmergencyNumber(r.number, home.country) ? [r.number] : [],
  );
  if (clash.length > 0)
    throw new AppError(
      'CONFLICT',
      `${clash.join(', ')} would be emergency numbers in ${home.country ?? 'no country'}: renumber them first`,
      { field, details: { numbers: clash } },
    );
}
