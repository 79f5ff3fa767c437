import type { Destination } from '@pbx/contracts';
import type { Extension } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { changeExtension } from './change-extension.js';

export type ForwardKind = 'forwardAlways' | 'forwardBusy' | 'forwardNoAnswer';

/**
 * Sets or clears (`null`) one call forward (`*72` / `*73` set forward-always), with the same rules as any extension
 * edit: a target in the tenant, never the extension itself, and an external number the extension may call.
 */
export async function setExtensionForward(
  ctx: TenantContext,
  extensionId: string,
  destination: Destination | null,
  kind: ForwardKind = 'forwardAlways',
): Promise<Extension> {
  return changeExtension(
    ctx,
    extensionId,
    { [kind]: destination },
    { action: destination ? 'extension.forward-set' : 'extension.forward-clear' },
  );
}
