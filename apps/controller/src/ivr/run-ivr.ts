// The IVR runtime (auto-attendant): menus, nested menus and "back", and the way out of them. Where a choice leads
// is decided by the routing engine, as for every other call: the caller is transferred back into the tenant's
// dialplan context, to the extension number dialed directly or to the option's stored destination
// (SYNTHETIC.go, honoured only on this channel). Only a menu reached from a menu stays in this session.
import type { Db } from '@pbx/db';
import { loadIvrMenuForCall, type IvrCallMenu } from '@pbx/domain';
import type { TenantSnapshot } from '@pbx/domain/routing';
import { refuseCall, type SessionHandler } from '../outbound/dispatch.js';
import { goToDestination, transferTo } from '../outbound/transfer.js';
import type { TransferTokens } from '../xml-curl/transfer-token.js';
import { collectChoice } from './collect.js';
import { isReadable, type Readable } from './menu-media.js';

/** Menus one call may pass through (menus may loop into each other; callers may not loop forever). */
const MAX_MENU_HOPS = 50;

export type IvrDeps = {
  prisma: Db;
  /** Signs the internal destinations the IVR transfers to (xml-curl/transfer-token.ts). */
  transferTokens: TransferTokens;
  readable?: Readable;
};

/**
 * Menus read per tenant snapshot: a burst of callers into one menu makes one query, not one each (a query per arrival
 * was ~18% of the controller thread in the IVR bench's ramp). Every write that changes what a call reads of a menu
 * (the menu, its options, its greeting) publishes a ConfigChanged, which replaces the tenant's snapshot, so the next
 * call reads the menu again; the old snapshot's entries go with it (WeakMap).
 */
function menuCache(db: Db) {
  const bySnapshot = new WeakMap<TenantSnapshot, Map<string, Promise<IvrCallMenu | null>>>();
  return (tenant: TenantSnapshot, menuId: string | null | undefined): Promise<IvrCallMenu | null> | null => {
    // The snapshot of the tenant named by pbx_tenant_id is checked first: a menu of another tenant is never read.
    if (!menuId || !tenant.ivrMenus.some((m) => m.id === menuId)) return null;
    let menus = bySnapshot.get(tenant);
    if (!menus) bySnapshot.set(tenant, (menus = new Map<string, Promise<IvrCallMenu | null>>()));
    const cached = menus.get(menuId);
    if (cached) return cached;
    const loading = loadIvrMenuForCall(db, tenant.tenant.id, menuId);
    menus.set(menuId, loading);
    // A failed read is not kept: the next caller asks the database again.
    loading.catch(() => menus.delete(menuId));
    return loading;
  };
}

export function ivrHandler(deps: IvrDeps): SessionHandler {
  const readable = deps.readable ?? isReadable;
  const menus = menuCache(deps.prisma);
  return async (call, ctx) => {
    const load = (menuId: string | null | undefined) => menus(ctx.tenant, menuId);
    let menu = await load(ctx.vars.pbx_ivr_menu_id);
    if (!menu) {
      ctx.log.warn(
        { menuId: ctx.vars.pbx_ivr_menu_id ?? null, tenantId: ctx.tenant.tenant.id },
        'IVR: no such menu for this tenant',
      );
      return refuseCall(call, ctx);
    }
    await call.answer();
    const exit = { domain: ctx.tenant.tenant.domain, media: ctx.media, log: ctx.log };
    const parents: IvrCallMenu[] = [];
    for (let hops = 0; hops < MAX_MENU_HOPS; hops++) {
      const choice = await collectChoice(call, ctx, menu, { canGoBack: parents.length > 0, readable });
      switch (choice.kind) {
        case 'gone':
          return;
        case 'back':
          menu = parents.pop() ?? menu;
          continue;
        case 'direct':
          await transferTo(call, exit, deps.transferTokens, choice.number, false);
          return;
        case 'option':
        case 'failed': {
          const dest = choice.destination;
          const next = dest.type === 'IVR_MENU' ? await load(dest.value) : null;
          // Any other destination, or a menu deleted meanwhile: the engine says where it leads.
          if (!next) {
            await goToDestination(call, exit, deps.transferTokens, dest);
            return;
          }
          if (choice.kind === 'option') parents.push(menu);
          menu = next;
          continue;
        }
      }
    }
    ctx.log.warn({ menuId: menu.id }, 'IVR: too many menus on one call');
    await call.hangup('NORMAL_CLEARING');
  };
}
