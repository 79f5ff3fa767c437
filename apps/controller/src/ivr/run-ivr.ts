// The IVR runtime (auto-attendant): menus, nested menus and "back", and the way out of them. Where a choice leads
// is decided by the routing engine, as for every other call: the caller is transferred back into the tenant's
// dialplan context, to the extension number dialed directly or to the option's stored destination
// (SYNTHETIC.go, honoured only on this channel). Only a menu reached from a menu stays in this session.
import type { Db } from '@pbx/db';
import { loadIvrMenuForCall, type IvrCallMenu } from '@pbx/domain';
import { parseSynthetic, SYNTHETIC, type StoredDestination } from '@pbx/domain/routing';
import type { OutboundCall } from '@pbx/esl';
import { refuseCall, type SessionHandler } from '../outbound/dispatch.js';
import type { CallSession } from '../outbound/session.js';
import { TRANSFER_TOKEN_VAR, type TransferTokens } from '../xml-curl/transfer-token.js';
import { DOMAIN_RE, EXTENSION_RE } from '../text.js';
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

export function ivrHandler(deps: IvrDeps): SessionHandler {
  const readable = deps.readable ?? isReadable;
  return async (call, ctx) => {
    const load = (menuId: string | null | undefined): Promise<IvrCallMenu | null> | null =>
      // The snapshot of the tenant named by pbx_tenant_id is checked first: a menu of another tenant is never read.
      menuId && ctx.tenant.ivrMenus.some((m) => m.id === menuId)
        ? loadIvrMenuForCall(deps.prisma, ctx.tenant.tenant.id, menuId)
        : null;
    let menu = await load(ctx.vars.pbx_ivr_menu_id);
    if (!menu) {
      ctx.log.warn(
        { menuId: ctx.vars.pbx_ivr_menu_id ?? null, tenantId: ctx.tenant.tenant.id },
        'IVR: no such menu for this tenant',
      );
      return refuseCall(call, ctx);
    }
    await call.answer();
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
          return transferTo(call, ctx, deps, choice.number, false);
        case 'option':
        case 'failed': {
          const dest = choice.destination;
          if (dest.type !== 'IVR_MENU') return goTo(call, ctx, deps, dest);
          const next = await load(dest.value);
          // A menu deleted meanwhile: the engine says what a dangling destination means.
          if (!next) return goTo(call, ctx, deps, dest);
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

async function goTo(
  call: OutboundCall,
  ctx: CallSession,
  deps: IvrDeps,
  dest: StoredDestination,
): Promise<void> {
  if (dest.type === 'HANGUP') {
    await call.playback(ctx.media.prompt('goodbye'));
    if (!call.hasEnded) await call.hangup('NORMAL_CLEARING');
    return;
  }
  const target = SYNTHETIC.go(dest);
  // A stored value the engine could not parse back (corrupt row) is not sent to FreeSWITCH.
  if (parseSynthetic(target)?.kind !== 'go') {
    ctx.log.warn({ type: dest.type }, 'IVR: destination cannot be addressed');
    return refuseCall(call, ctx);
  }
  return transferTo(call, ctx, deps, target, true);
}

/** `transfer <number> XML <tenant domain>`: the dialplan lookup routes it like any other call of the tenant. */
async function transferTo(
  call: OutboundCall,
  ctx: CallSession,
  deps: IvrDeps,
  number: string,
  internal: boolean,
): Promise<void> {
  const domain = ctx.tenant.tenant.domain;
  if (!DOMAIN_RE.test(domain) || (!internal && !EXTENSION_RE.test(number))) {
    ctx.log.warn({ number }, 'IVR: refusing to transfer to an unsafe value');
    return refuseCall(call, ctx);
  }
  // The dialplan lookup routes an internal destination only with this channel's token for it.
  if (internal)
    await call.execute('set', `${TRANSFER_TOKEN_VAR}=${deps.transferTokens.sign(call.uuid, domain, number)}`);
  await call.execute('transfer', `${number} XML ${domain}`);
}
