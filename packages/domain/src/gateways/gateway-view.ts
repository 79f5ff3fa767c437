import type { Gateway } from '@pbx/db';
import type { Tx } from '../context.js';

/** A gateway as the domain hands it out: never the ciphertext, only whether a password is set. */
export type GatewayView = Omit<Gateway, 'passwordEnc'> & { hasPassword: boolean; tenantCount: number };

export function gatewayView(row: Gateway, tenantCount: number): GatewayView {
  const { passwordEnc, ...rest } = row;
  return { ...rest, hasPassword: passwordEnc !== null, tenantCount };
}

/** The tenants whose routing uses the gateway (a ConfigChanged each when it changes). */
export async function tenantsUsing(tx: Tx, gatewayId: string): Promise<{ id: string; domain: string }[]> {
  const rows = await tx.tenantGateway.findMany({
    where: { gatewayId },
    select: { tenant: { select: { id: true, domain: true } } },
  });
  return rows.map((r) => r.tenant);
}

/**
 * The tenants whose routing a change of this trunk alters: those it is assigned to, and every tenant when it is (or
 * was, before the change) the platform's emergency trunk, which every tenant's snapshot carries for emergency calls.
 */
export async function tenantsRoutedBy(
  tx: Tx,
  gatewayId: string,
  emergencyFallback: boolean,
): Promise<{ id: string; domain: string }[]> {
  if (!emergencyFallback) return tenantsUsing(tx, gatewayId);
  return tx.tenant.findMany({ select: { id: true, domain: true } });
}

/** The audit row's copy: what changed, without the ciphertext (maskSecrets drops it too). */
export function auditCopy(row: Gateway): Omit<Gateway, 'passwordEnc'> & { hasPassword: boolean } {
  const { passwordEnc, ...rest } = row;
  return { ...rest, hasPassword: passwordEnc !== null };
}
