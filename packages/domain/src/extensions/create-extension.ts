import type { CreateExtension } from '@pbx/contracts';
import type { Extension } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { AppError } from '../errors.js';
import { generateSipPassword, sipA1Hash } from '../security/sip.js';
import { assertNumberFree } from '../shared/assert-number-free.js';
import { lockTenant } from '../shared/lock-tenant.js';
import { runWrite } from '../shared/run-write.js';
import { assertCallerIdAllowed } from '../caller-ids/assert-caller-id.js';
import { checkExtensionLinks } from './check-extension-links.js';
import { checkForwardPolicy } from './check-forward-policy.js';
import { extensionColumns } from './extension-columns.js';

/** Creates the extension with a fresh SIP password, returned here once; only the A1 hash is stored. */
export async function createExtension(
  ctx: TenantContext,
  input: CreateExtension,
): Promise<{ extension: Extension; sipPassword: string }> {
  const sipPassword = generateSipPassword();
  return runWrite(ctx, async (tx, record) => {
    await lockTenant(tx, ctx.tenantId);
    const tenant = await tx.tenant.findUniqueOrThrow({
      where: { id: ctx.tenantId },
      select: { maxExtensions: true },
    });
    if ((await tx.extension.count({ where: { tenantId: ctx.tenantId } })) >= tenant.maxExtensions) {
      throw new AppError('LIMIT_REACHED', `this tenant may have at most ${tenant.maxExtensions} extensions`);
    }
    await assertNumberFree(tx, ctx.tenantId, input.number);
    await checkExtensionLinks(tx, ctx.tenantId, input);
    await checkForwardPolicy(tx, ctx.tenantId, input, null);
    await assertCallerIdAllowed(tx, ctx.tenantId, input.callerIdNumber, 'callerIdNumber');
    await assertCallerIdAllowed(tx, ctx.tenantId, input.emergencyCallerIdNumber, 'emergencyCallerIdNumber');
    const { number, displayName, ...rest } = input;
    const extension = await tx.extension.create({
      data: {
        ...extensionColumns(rest),
        tenantId: ctx.tenantId,
        number,
        displayName,
        sipA1Hash: sipA1Hash(number, ctx.domain, sipPassword),
      },
    });
    await record({
      action: 'extension.create',
      entityType: 'extension',
      entityId: extension.id,
      after: extension,
    });
    return { extension, sipPassword };
  });
}
