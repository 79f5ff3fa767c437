import type { CallDirectionValue } from './contracts.js';
import type { TenantLookupKind, TenantRef, TenantResolver } from './tenants.js';

/** Numbers a tenant dials internally: extensions, ring groups, IVRs, feature codes (Extension.number is ≤ 8). */
const INTERNAL_NUMBER = /^[0-9*#]{1,8}$/;

export function isInternalNumber(value: string | undefined): boolean {
  return value !== undefined && INTERNAL_NUMBER.test(value);
}

const PBX_DIRECTIONS: Record<string, CallDirectionValue> = {
  inbound: 'INBOUND',
  outbound: 'OUTBOUND',
  internal: 'INTERNAL',
};

/**
 * The direction of a leg from the tenant's point of view. `pbx_direction`
 * (set by our dialplan, exported to the B leg) is authoritative. Without it:
 * a leg placed by one of the tenant's phones (authenticated user, or a short
 * extension-like caller number) is INTERNAL when it dials a short number and
 * OUTBOUND otherwise; anything else came in from a trunk (INBOUND).
 */
export function classifyDirection(
  vars: Readonly<Record<string, string>>,
  caller: string,
  destination: string,
): CallDirectionValue {
  const declared = PBX_DIRECTIONS[(vars.pbx_direction ?? '').toLowerCase()];
  if (declared) return declared;
  const fromPhone =
    vars.user_name !== undefined || vars.sip_authorized === 'true' || isInternalNumber(caller);
  if (!fromPhone) return 'INBOUND';
  return isInternalNumber(destination) || vars.dialed_user !== undefined ? 'INTERNAL' : 'OUTBOUND';
}

export type LegTenantOptions = { extraDomains?: readonly (string | undefined)[]; did?: string | undefined };
export type LegTenant = { tenant: TenantRef | null; hints: string[] };
type Lookup = { kind: TenantLookupKind; value: string };

/**
 * The order in which a leg's tenant is looked for, as a generator of lookups
 * (each answered with the tenant found or null), so the awaiting and the
 * synchronous cache-only resolution below cannot disagree.
 */
function* legTenantSearch(
  vars: Readonly<Record<string, string>>,
  options: LegTenantOptions,
): Generator<Lookup, LegTenant, TenantRef | null> {
  const hints: string[] = [];
  if (vars.pbx_tenant_id) {
    hints.push(`pbx_tenant_id=${vars.pbx_tenant_id}`);
    const t = yield { kind: 'id', value: vars.pbx_tenant_id };
    if (t) return { tenant: t, hints };
  }
  const domains = [
    vars.domain_name,
    vars.dialed_domain,
    vars.sip_from_host,
    vars.sip_to_host,
    vars.sip_req_host,
    ...(options.extraDomains ?? []),
  ];
  const seen = new Set<string>();
  for (const d of domains) {
    if (!d || seen.has(d) || /^[0-9.:[\]]+$/.test(d)) continue; // IP literals are never tenant domains
    seen.add(d);
    hints.push(`domain=${d}`);
    const t = yield { kind: 'domain', value: d };
    if (t) return { tenant: t, hints };
  }
  const did = vars.pbx_did ?? options.did;
  if (did) {
    hints.push(`did=${did}`);
    const t = yield { kind: 'did', value: did };
    if (t) return { tenant: t, hints };
  }
  return { tenant: null, hints };
}

function ask(resolver: TenantResolver, { kind, value }: Lookup): Promise<TenantRef | null> {
  return kind === 'id'
    ? resolver.byId(value)
    : kind === 'domain'
      ? resolver.byDomain(value)
      : resolver.byDid(value);
}

/**
 * Finds the tenant of a leg: `pbx_tenant_id` first, then the SIP domains the
 * channel knows (the authenticated user's domain, the dialed domain, From/To/
 * Request-URI hosts, plus any extra candidates), then the DID for calls from a
 * trunk. Returns the hints tried so an error can name them.
 */
export async function resolveLegTenant(
  resolver: TenantResolver,
  vars: Readonly<Record<string, string>>,
  options: LegTenantOptions = {},
): Promise<LegTenant> {
  const search = legTenantSearch(vars, options);
  let step = search.next(null);
  while (!step.done) step = search.next(await ask(resolver, step.value));
  return step.value;
}

/** The same answer from the resolver's cache alone; `undefined` when some lookup on the way is not cached. */
export function resolveLegTenantCached(
  resolver: TenantResolver,
  vars: Readonly<Record<string, string>>,
  options: LegTenantOptions = {},
): LegTenant | undefined {
  if (!resolver.peek) return undefined;
  const search = legTenantSearch(vars, options);
  let step = search.next(null);
  while (!step.done) {
    const known = resolver.peek(step.value.kind, step.value.value);
    if (known === undefined) return undefined;
    step = search.next(known);
  }
  return step.value;
}

/** `user@host` → host (channel names such as `sofia/internal/1001@acme.test` too). */
export function hostOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const at = value.lastIndexOf('@');
  if (at < 0) return undefined;
  return value.slice(at + 1).split(/[:;>]/)[0] || undefined;
}
