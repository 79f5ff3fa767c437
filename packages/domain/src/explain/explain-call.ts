import type { ExplainCall, ExplainCallResult } from '@pbx/contracts';
import { explainTrunks, type GatewayStatesOf } from './trunk-states.js';
import type { TenantContext } from '../context.js';
import { AppError } from '../errors.js';
import { loadIvrMenuForCall, type IvrCallMenu } from '../ivr/load-ivr-menu-for-call.js';
import { explainRoute, type ExplainedRoute } from '../routing/explain.js';
import { SYNTHETIC } from '../routing/features.js';
import { TenantSnapshotSchema, type StoredDestination, type TenantSnapshot } from '../routing/snapshot.js';
import { loadSnapshotJson } from './load-snapshot.js';

type Menu = ExplainCallResult['menus'][number];

/**
 * The route explainer for tenant admins: the routing engine's dry run on the tenant's own configuration, then,
 * for each IVR menu the call reaches, the keys the caller presses, resolved as the IVR runtime does
 * (apps/controller/src/ivr/collect.ts: an option, else an extension number when the menu allows direct dial,
 * else the time-out or invalid destination once the retries are used up).
 */
export async function explainCall(
  ctx: TenantContext,
  input: ExplainCall,
  now: Date = new Date(),
  /** The trunks' current states (the API passes the controllers' Redis view); without it they are "not known". */
  gatewayStates?: GatewayStatesOf,
): Promise<ExplainCallResult> {
  const json = await loadSnapshotJson(ctx.db, ctx.domain);
  if (json === null) throw new AppError('NOT_FOUND', 'tenant not found');
  const snapshot = TenantSnapshotSchema.parse(json);
  const base = {
    domain: ctx.domain,
    from: input.from,
    context: input.context ?? ('tenant' as const),
    ...(input.at ? { at: input.at } : {}),
  };
  const first = explainRoute(snapshot, { ...base, to: input.to }, now);
  const menus: Menu[] = [];
  let route = first.route;
  for (const pressed of input.presses ?? []) {
    const menuId = menuOf(route);
    const menu = menuId ? await loadIvrMenuForCall(ctx.db, ctx.tenantId, menuId) : null;
    if (!menu) break;
    const choice = choose(menu, pressed, snapshot);
    const next = explainRoute(snapshot, { ...base, context: 'tenant', to: choice.to }, now, {
      internal: true,
    });
    const failed = choice.outcome === 'invalid' || choice.outcome === 'timeout';
    menus.push({
      menuId: menu.id,
      menuName: menu.name,
      pressed,
      outcome: choice.outcome,
      text: failed ? [`after ${menu.maxFailures} tries (${choice.outcome}):`, ...next.text] : next.text,
    });
    route = next.route;
  }
  const trunks = await explainTrunks(first.trunks, gatewayStates);
  return { at: first.at, text: [...first.text, ...trunks.text], trunks: trunks.trunks, menus };
}

/** The menu a route ends in, if any. */
function menuOf(route: ExplainedRoute): string | null {
  for (const s of route.steps) if (s.kind === 'ivr') return s.menuId;
  return null;
}

function choose(
  menu: IvrCallMenu,
  pressed: string,
  snapshot: TenantSnapshot,
): { outcome: Menu['outcome']; to: string } {
  const option = menu.options.find((o) => o.digits === pressed);
  if (option) return { outcome: 'option', to: SYNTHETIC.go(option.destination) };
  const ext = menu.directDial && snapshot.extensions.find((e) => e.enabled && e.number === pressed);
  if (ext) return { outcome: 'extension', to: ext.number };
  const outcome = pressed === '' ? 'timeout' : 'invalid';
  const destination: StoredDestination = outcome === 'timeout' ? menu.timeout : menu.invalid;
  return { outcome, to: SYNTHETIC.go(destination) };
}
