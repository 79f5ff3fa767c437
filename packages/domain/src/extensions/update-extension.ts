import type { UpdateExtension } from '@pbx/contracts';
import type { Extension } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { changeExtension } from './change-extension.js';

/** Admins change any field but the number; the extension's own user only DND and forwarding (else FORBIDDEN). */
export async function updateExtension(
  ctx: TenantContext,
  extensionId: string,
  input: UpdateExtension,
  ifMatch?: string,
): Promise<Extension> {
  return changeExtension(ctx, extensionId, input, { action: 'extension.update', ifMatch });
}
