import type { UpdateGateway } from '@pbx/contracts';
import type { PlatformContext } from '../context.js';
import { notFound } from '../errors.js';
import { compact } from '../shared/compact.js';
import { runWrite } from '../shared/run-write.js';
import { assertVersion } from '../shared/version.js';
import { checkGateway } from './gateway-rules.js';
import { auditCopy, gatewayView, tenantsRoutedBy, tenantsUsing, type GatewayView } from './gateway-view.js';
import { encryptSecret, requireSecretKey } from './secret-box.js';

/** Changes a trunk (only the fields sent). FreeSWITCH drops and reloads it; the tenants using it re-route. */
export async function updateGateway(
  ctx: PlatformContext,
  id: string,
  input: UpdateGateway,
  secretKey: Buffer | null,
  ifMatch?: string,
): Promise<GatewayView> {
  const { name, password, ...fields } = input;
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.gateway.findUnique({ where: { id } });
    if (!before) throw notFound('gateway');
    assertVersion(before, ifMatch);
    await checkGateway(tx, {
      id,
      name: name ?? before.fsName,
      register: fields.register ?? before.register,
      username: fields.username !== undefined ? fields.username : before.username,
      hasPassword: password !== undefined ? password !== null : before.passwordEnc !== null,
      tenantId: fields.tenantId !== undefined ? fields.tenantId : before.tenantId,
    });
    const passwordEnc =
      password === undefined
        ? undefined
        : password === null
          ? null
          : encryptSecret(requireSecretKey(secretKey), password);
    const after = await tx.gateway.update({
      where: { id },
      data: {
        ...compact(fields),
        ...(name ? { fsName: name } : {}),
        ...(passwordEnc !== undefined ? { passwordEnc } : {}),
      },
    });
    const tenants = await tenantsUsing(tx, id);
    const routed = await tenantsRoutedBy(tx, id, before.emergencyFallback || after.emergencyFallback);
    await record({
      action: 'gateway.update',
      entityType: 'gateway',
      entityId: id,
      tenantId: null,
      before: auditCopy(before),
      after: { ...auditCopy(after), ...(password !== undefined ? { passwordChanged: true } : {}) },
      gateway: {
        name: after.fsName,
        ...(after.fsName !== before.fsName ? { previousName: before.fsName } : {}),
      },
      affectedTenants: routed,
    });
    return gatewayView(after, tenants.length);
  });
}
