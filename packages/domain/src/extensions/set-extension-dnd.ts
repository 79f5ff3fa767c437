import type { Extension } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { changeExtension } from './change-extension.js';

/** Do-not-disturb on or off (`*78` / `*79`, or the owner's settings), with the same rules as any extension edit. */
export async function setExtensionDnd(
  ctx: TenantContext,
  extensionId: string,
  dnd: boolean,
): Promise<Extension> {
  return changeExtension(
    ctx,
    extensionId,
    { dnd },
    { action: dnd ? 'extension.dnd-on' : 'extension.dnd-off' },
  );
}
