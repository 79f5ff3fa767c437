import type { Tx } from '../context.js';

/** Serialises writes that check a per-tenant limit (count-then-insert) against each other. */
export async function lockTenant(tx: Tx, tenantId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Tenant" WHERE id = ${tenantId}::uuid FOR UPDATE`;
}
