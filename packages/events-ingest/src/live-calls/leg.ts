import { classifyDirection, hostOf, resolveLegTenantCached, type LegTenantOptions } from '../classify.js';
import type { CallDirectionValue, LiveCall } from '../contracts.js';
import { channelVariables, header, type EslHeaders } from '../event.js';
import type { TenantRef, TenantResolver } from '../tenants.js';

/** "The tenant is not in the resolver's cache: look it up (resolveLegTenant) and try again." */
export const NEED_TENANT = 'need-tenant' as const;

/** The variables and options `resolveLegTenant` needs for a channel event's leg. */
export function legTenantQuery(event: EslHeaders): {
  vars: Readonly<Record<string, string>>;
  options: LegTenantOptions;
  callerNumber: string;
  callee: string;
  direction: CallDirectionValue;
} {
  // A view over the adapter's header block: only the dozen variables direction and tenant read are decoded,
  // and an empty one stays empty (not missing), exactly as on the CDR path.
  const vars = channelVariables(event);
  const callerNumber = header(event, 'Caller-Caller-ID-Number') ?? '';
  const callee = header(event, 'Caller-Destination-Number') ?? '';
  const direction = classifyDirection(vars, callerNumber, callee);
  return {
    vars,
    options: {
      extraDomains: [hostOf(header(event, 'Channel-Presence-ID')), hostOf(header(event, 'Channel-Name'))],
      did: direction === 'INBOUND' ? callee : undefined,
    },
    callerNumber,
    callee,
    direction,
  };
}

/**
 * The live leg a channel event describes; null when its tenant is unknown;
 * NEED_TENANT when the tenant is not cached and `tenant` was not given
 * (undefined: not looked up yet; null: looked up, none).
 */
export function legFromEvent(
  event: EslHeaders,
  nodeId: string,
  uuid: string,
  at: string,
  tenants: TenantResolver,
  tenant: TenantRef | null | undefined,
): LiveCall | null | typeof NEED_TENANT {
  const { vars, options, callerNumber, callee, direction } = legTenantQuery(event);
  let found = tenant;
  if (found === undefined) {
    const cached = resolveLegTenantCached(tenants, vars, options);
    if (cached === undefined) return NEED_TENANT;
    found = cached.tenant;
  }
  if (!found) return null;
  const createdUs = Number(header(event, 'Caller-Channel-Created-Time'));
  return {
    uuid,
    nodeId,
    tenantId: found.id,
    direction,
    callerNumber,
    callerName: header(event, 'Caller-Caller-ID-Name') ?? '',
    callee,
    state: header(event, 'Answer-State') === 'answered' ? 'answered' : 'ringing',
    otherUuid: null,
    createdAt: createdUs > 0 ? new Date(Math.floor(createdUs / 1000)).toISOString() : at,
    since: at,
  };
}
