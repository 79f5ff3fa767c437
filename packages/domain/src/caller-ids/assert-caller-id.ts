import type { Tx } from '../context.js';
import { AppError } from '../errors.js';

/**
 * An outbound caller ID must be the tenant's own: one of its inbound numbers, or a number a platform admin
 * verified for it. Anything else is spoofing (another tenant's number, a bank's) and is refused when written;
 * the routing engine applies the same rule again when it dials (outboundCallerId).
 */
export async function assertCallerIdAllowed(
  tx: Tx,
  tenantId: string,
  e164: string | null | undefined,
  field: string,
): Promise<void> {
  if (e164 === null || e164 === undefined) return;
  const [own, verified] = await Promise.all([
    tx.inboundNumber.count({ where: { tenantId, e164 } }),
    tx.verifiedCallerId.count({ where: { tenantId, e164 } }),
  ]);
  if (own + verified === 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `${e164} is neither an inbound number of this tenant nor a caller ID the platform verified for it`,
      { field },
    );
}
