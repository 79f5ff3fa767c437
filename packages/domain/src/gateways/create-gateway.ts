import type { CreateGateway } from '@pbx/contracts';
import type { PlatformContext } from '../context.js';
import { compact } from '../shared/compact.js';
import { runWrite } from '../shared/run-write.js';
import { checkGateway } from './gateway-rules.js';
import { auditCopy, gatewayView, tenantsRoutedBy, type GatewayView } from './gateway-view.js';
import { encryptSecret, requireSecretKey } from './secret-box.js';

/** Adds a carrier trunk (platform admins; the route enforces the role). FreeSWITCH learns it after commit. */
export async function createGateway(
  ctx: PlatformContext,
  input: CreateGateway,
  secretKey: Buffer | null,
): Promise<GatewayView> {
  const { name, password, ...fields } = input;
  const register = fields.register ?? false;
  return runWrite(ctx, async (tx, record) => {
    await checkGateway(tx, {
      name,
      register,
      username: fields.username ?? null,
      hasPassword: password !== undefined,
      tenantId: fields.tenantId ?? null,
    });
    const passwordEnc = password === undefined ? null : encryptSecret(requireSecretKey(secretKey), password);
    const row = await tx.gateway.create({
      data: { ...compact(fields), fsName: name, register, passwordEnc },
    });
    await record({
      action: 'gateway.create',
      entityType: 'gateway',
      entityId: row.id,
      tenantId: null,
      after: auditCopy(row),
      gateway: { name },
      // A new platform emergency trunk is every tenant's fallback for emergency calls at once.
      affectedTenants: await tenantsRoutedBy(tx, row.id, row.emergencyFallback),
    });
    return gatewayView(row, 0);
  });
}
