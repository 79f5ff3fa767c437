import type { Tx } from '../context.js';
import { AppError } from '../errors.js';

/** The e-mail is unique platform-wide; the extension must be this tenant's and not managed by someone else. */
export async function checkUserLinks(
  tx: Tx,
  tenantId: string,
  input: { email?: string | undefined; extensionId?: string | null | undefined },
  exceptUserId?: string,
): Promise<void> {
  const not = exceptUserId ? { NOT: { id: exceptUserId } } : {};
  if (input.email !== undefined && (await tx.user.count({ where: { email: input.email, ...not } }))) {
    throw new AppError('CONFLICT', 'this e-mail address is already registered', { field: 'email' });
  }
  if (input.extensionId) {
    if (!(await tx.extension.count({ where: { id: input.extensionId, tenantId } }))) {
      throw new AppError('VALIDATION_FAILED', 'no extension with this id in this tenant', {
        field: 'extensionId',
      });
    }
    if (await tx.user.count({ where: { extensionId: input.extensionId, ...not } })) {
      throw new AppError('CONFLICT', 'this extension already belongs to another user', {
        field: 'extensionId',
      });
    }
  }
}
