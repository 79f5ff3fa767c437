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

/** The audit row's copy: what changed, without the ciphertext (maskSecrets drops it too). */
export function auditCopy(row: Gateway): Omit<Gateway, 'passwordEnc'> & { hasPassword: boolean } {
  const { passwordEnc, ...rest } = row;
  return { ...rest, hasPassword: passwordEnc !== null };
}
