import { z } from 'zod';
import { routeCall } from './engine.js';
import type { RouteStep, TenantSnapshot } from './types.js';

/** A dry-run question: "what happens when <from> dials <to> at <at>?". */
export const ExplainRequestSchema = z.object({
  domain: z.string().min(1).max(253),
  /** An extension number of the tenant, or an external number for calls from outside. */
  from: z.string().min(1).max(32),
  to: z.string().min(1).max(64),
  /** 'tenant' = dialed from the tenant's phones; 'public' = `to` is a DID called from outside. */
  context: z.enum(['tenant', 'public']).default('tenant'),
  at: z.iso.datetime({ offset: true }).optional(),
});
export type ExplainRequest = z.infer<typeof ExplainRequestSchema>;

export type ExplainedRoute = {
  steps: RouteStep[];
  /** What the continuation of a failed ring does, per outcome. */
  ifBusy?: ExplainedRoute;
  ifNoAnswer?: ExplainedRoute;
};

export type Explanation = {
  tenantId: string;
  domain: string;
  at: string;
  route: ExplainedRoute;
  /** The trunks the call would go out through, first choice first (empty: it does not go out). */
  trunks: Array<{ gateway: string; dial: string }>;
  /** The same thing as readable lines. */
  text: string[];
};

/**
 * Runs the routing engine without placing a call and follows the "busy" and
 * "no answer" continuations, so an admin sees the whole path a call can take.
 */
export function explainRoute(
  snapshot: TenantSnapshot,
  request: ExplainRequest,
  now: Date = new Date(),
  /** The first destination comes from the platform's own transfer (an IVR choice, `SYNTHETIC.go`). */
  options: { internal?: boolean } = {},
): Explanation {
  const at = request.at ? new Date(request.at) : now;
  const isExtension =
    request.context === 'tenant' && snapshot.extensions.some((e) => e.number === request.from);
  const caller = isExtension
    ? { kind: 'extension' as const, number: request.from }
    : { kind: 'external' as const, number: request.from };

  const follow = (destination: string, context: 'tenant' | 'public', depth: number): ExplainedRoute => {
    // The continuations it follows itself are internal; what the admin typed is treated as dialed.
    const internal = depth > 0 || options.internal === true;
    const { steps } = routeCall({ snapshot, context, caller, destination, now: at, internal });
    const route: ExplainedRoute = { steps };
    const ring = steps.find((s) => s.kind === 'ring');
    if (ring?.kind === 'ring' && depth < 4) {
      route.ifBusy = follow(`${ring.next}USER_BUSY`, 'tenant', depth + 1);
      route.ifNoAnswer = follow(`${ring.next}NO_ANSWER`, 'tenant', depth + 1);
    }
    return route;
  };
  const route = follow(request.to, request.context, 0);
  return {
    tenantId: snapshot.tenant.id,
    domain: snapshot.tenant.domain,
    at: at.toISOString(),
    route,
    trunks: trunksOf(route),
    text: describe(route, ''),
  };
}

/** The first outbound step's trunks, in the route or one of its continuations. */
function trunksOf(route: ExplainedRoute): Explanation['trunks'] {
  for (const s of route.steps)
    if (s.kind === 'outbound') return s.trunks.map(({ gateway, dial }) => ({ gateway, dial }));
  for (const next of [route.ifBusy, route.ifNoAnswer]) {
    const found = next ? trunksOf(next) : [];
    if (found.length) return found;
  }
  return [];
}

function describe(route: ExplainedRoute, indent: string): string[] {
  const lines = route.steps.flatMap((s) => {
    const line = describeStep(s);
    return line ? [`${indent}${line}`] : [];
  });
  if (route.ifBusy) lines.push(`${indent}if busy:`, ...describe(route.ifBusy, `${indent}  `));
  if (route.ifNoAnswer) lines.push(`${indent}if no answer:`, ...describe(route.ifNoAnswer, `${indent}  `));
  return lines;
}

function describeStep(s: RouteStep): string | null {
  switch (s.kind) {
    case 'note':
      return s.text;
    case 'set':
      return s.name === 'pbx_blocked_reason' ? `blocked: ${s.value}` : null;
    case 'answer':
      return null;
    case 'record':
      return 'record the call';
    case 'stop_record':
      return 'stop recording the call';
    case 'ring':
      return `ring ${s.targets.map((t) => t.number).join(s.strategy === 'SIMULTANEOUS' ? ' + ' : ' then ')} for ${s.timeoutSec}s`;
    case 'voicemail':
      return s.mode === 'leave'
        ? `voicemail box ${s.boxNumber ?? ''}`
        : s.mode === 'check'
          ? `check voicemail box ${s.boxNumber ?? ''}`
          : 'check any voicemail box';
    case 'ivr':
      return `IVR menu ${s.menuName}`;
    case 'outbound':
      return s.emergency
        ? `EMERGENCY call ${s.e164} via ${viaTrunks(s)}: sent as ${s.dial}, caller ID ${s.callerIdNumber}` +
            (s.emergency.location
              ? `, location ${s.emergency.location}${s.emergency.locationHeader ? ` in ${s.emergency.locationHeader}` : ' (the trunk takes no location header)'}`
              : ', no location identifier')
        : `dial ${s.e164} via ${viaTrunks(s)}: sent as ${s.dial} (${s.numberFormat}), caller ID ${s.callerIdNumber}`;
    case 'feature':
      return `feature: ${s.feature.type} (${s.confirm})`;
    case 'hangup':
      return `hang up (${s.cause})`;
  }
}

const viaTrunks = (s: { gateway: string; trunks: ReadonlyArray<{ gateway: string }> }) =>
  s.trunks.length > 1 ? `gateways ${s.trunks.map((t) => t.gateway).join(' then ')}` : `gateway ${s.gateway}`;
