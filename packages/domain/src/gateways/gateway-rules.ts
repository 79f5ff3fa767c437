import type { Tx } from '../context.js';
import { AppError } from '../errors.js';

type Merged = {
  id?: string;
  name: string;
  register: boolean;
  username: string | null;
  hasPassword: boolean;
  tenantId: string | null;
};

/**
 * Checks a gateway as it would be after the write. sofia skips a registering gateway without username or password
 * (sofia.c, parse_gateways), so such a trunk would silently not exist in FreeSWITCH: refused here instead.
 */
export async function checkGateway(tx: Tx, g: Merged): Promise<void> {
  if (g.register && !g.username)
    throw new AppError('VALIDATION_FAILED', 'a registering trunk needs a username', { field: 'username' });
  if (g.register && !g.hasPassword)
    throw new AppError('VALIDATION_FAILED', 'a registering trunk needs a password', { field: 'password' });
  const clash = await tx.gateway.findFirst({
    where: { fsName: g.name, ...(g.id ? { id: { not: g.id } } : {}) },
    select: { id: true },
  });
  if (clash) throw new AppError('CONFLICT', `a gateway named ${g.name} already exists`, { field: 'name' });
  if (g.tenantId) {
    if (!(await tx.tenant.count({ where: { id: g.tenantId } })))
      throw new AppError('VALIDATION_FAILED', 'no such tenant', { field: 'tenantId' });
    if (g.id) {
      const others = await tx.tenantGateway.count({
        where: { gatewayId: g.id, tenantId: { not: g.tenantId } },
      });
      if (others)
        throw new AppError(
          'CONFLICT',
          `the gateway is assigned to ${others} other tenant(s): unassign it before dedicating it to one`,
          { field: 'tenantId' },
        );
    }
  }
}
