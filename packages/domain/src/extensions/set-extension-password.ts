import type { SetSipPassword } from '@pbx/contracts';
import type { Extension } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { sipA1Hash } from '../security/sip.js';
import { runWrite } from '../shared/run-write.js';

/**
 * The first thing a SIP scanner tries for user 201 at pbx.example is "201", "201201", "pbx.example"...: a chosen
 * password may not contain the extension's number or the tenant's SIP domain (the contract checks the rest).
 */
export function assertNotGuessable(password: string, number: string, domain: string, field: string): void {
  const p = password.toLowerCase();
  const label = domain.toLowerCase().split('.')[0] ?? '';
  if (p.includes(number))
    throw new AppError('VALIDATION_FAILED', 'must not contain the extension number', { field });
  if (p.includes(domain.toLowerCase()) || (label.length >= 4 && p.includes(label)))
    throw new AppError('VALIDATION_FAILED', "must not contain the company's SIP domain", { field });
}

/**
 * An admin's chosen SIP password (a phone moved from another PBX keeps its own). Stored as the A1 hash only; the
 * same write as a reset, so the audit row and the directory flush on every node follow.
 */
export async function setExtensionPassword(
  ctx: TenantContext,
  extensionId: string,
  input: SetSipPassword,
): Promise<Extension> {
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.extension.findFirst({ where: { id: extensionId, tenantId: ctx.tenantId } });
    if (!before) throw notFound('extension');
    assertNotGuessable(input.password, before.number, ctx.domain, 'password');
    const extension = await tx.extension.update({
      where: { id: extensionId },
      data: { sipA1Hash: sipA1Hash(before.number, ctx.domain, input.password), passwordSetAt: new Date() },
    });
    await record({
      action: 'extension.set-password',
      entityType: 'extension',
      entityId: extensionId,
      before,
      after: extension,
    });
    return extension;
  });
}
