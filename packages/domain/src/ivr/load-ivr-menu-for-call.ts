import type { Db } from '@pbx/db';
import type { StoredDestination } from '../routing/snapshot.js';

/** What the IVR runtime needs of one menu while a caller is in it. */
export type IvrCallMenu = {
  id: string;
  name: string;
  /** A greeting was stored (greetingUpdatedAt): only then is its file looked for; else the default plays. */
  hasGreeting: boolean;
  timeoutSec: number;
  interDigitTimeoutMs: number;
  maxFailures: number;
  directDial: boolean;
  timeout: StoredDestination;
  invalid: StoredDestination;
  /** Sorted by digits. */
  options: { digits: string; destination: StoredDestination }[];
};

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The menu a call is in, read for the outbound-socket session. Scoped by tenant: a menu id of another tenant
 * (or no menu) is null, never that tenant's menu.
 */
export async function loadIvrMenuForCall(
  db: Db,
  tenantId: string,
  menuId: string,
): Promise<IvrCallMenu | null> {
  if (!UUID_RE.test(tenantId) || !UUID_RE.test(menuId)) return null;
  const m = await db.ivrMenu.findFirst({
    where: { id: menuId, tenantId },
    include: { options: { orderBy: { digits: 'asc' } } },
  });
  if (!m) return null;
  return {
    id: m.id,
    name: m.name,
    hasGreeting: m.greetingUpdatedAt !== null,
    timeoutSec: m.timeoutSec,
    interDigitTimeoutMs: m.interDigitTimeoutMs,
    maxFailures: m.maxFailures,
    directDial: m.directDial,
    timeout: { type: m.timeoutDestType, value: m.timeoutDestValue },
    invalid: { type: m.invalidDestType, value: m.invalidDestValue },
    options: m.options.map((o) => ({
      digits: o.digits,
      destination: { type: o.destType, value: o.destValue },
    })),
  };
}
