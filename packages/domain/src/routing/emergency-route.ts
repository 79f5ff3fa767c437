import type { DialingHome } from './numbers.js';
import { enabledTrunks } from './failover.js';
import { formatForTrunk } from './number-format.js';
import type { RouteSteps } from './route-steps.js';
import { effectiveRecording, mayPresent, outboundCallerId } from './snapshot-index.js';
import type { ExtensionSnapshot, GatewaySnapshot, TenantSnapshot } from './types.js';

/**
 * An emergency call (issue #16). Nothing the tenant or the platform set to limit calls applies: no outbound or
 * fraud policy, no concurrent limit, no suspension. It goes out through the tenant's trunk, else the platform's
 * emergency trunk, with the extension's (else the tenant's) emergency callback number and location identifier.
 * With no trunk at all the caller hears the failure tone at once (so they hang up and use another phone rather
 * than wait on silence) and the call is still an emergency call for the alert and the CDR.
 */
export function routeEmergency(
  steps: RouteSteps,
  s: TenantSnapshot,
  dialed: string,
  caller: ExtensionSnapshot | undefined,
  home: DialingHome,
): void {
  const t = s.tenant;
  steps.note(`emergency number ${dialed} in ${home.country ?? 'no known country'}: always routed`);
  steps.push({ kind: 'set', name: 'pbx_emergency', value: 'true', export: true });
  const own = enabledTrunks(s);
  // Every trunk of the tenant in order, then the platform's emergency trunk: an emergency call fails over as far as
  // it can.
  const fallback = s.emergencyGateway?.enabled ? s.emergencyGateway : null;
  const trunks: GatewaySnapshot[] =
    fallback && !own.some((g) => g.fsName === fallback.fsName) ? [...own, fallback] : own;
  const gw = trunks[0];
  if (!gw) {
    steps.note('the tenant has no enabled trunk and the platform no emergency trunk: the call fails audibly');
    return steps.block('NO_GATEWAY', 'NETWORK_OUT_OF_ORDER');
  }
  if (own.length === 0)
    steps.note(`the tenant has no enabled trunk: the platform's emergency trunk ${gw.fsName}`);
  const callback = [caller?.emergencyCallerIdNumber, t.emergencyCallerIdNumber].find(
    (n): n is string => typeof n === 'string' && mayPresent(s, n),
  );
  const cid = outboundCallerId(s, caller);
  // Never refused for want of a caller ID: the extension number is better than nothing.
  const number = callback ?? cid.number ?? caller?.number ?? '0';
  const location = caller?.emergencyLocation ?? t.emergencyLocation ?? null;
  steps.note(
    `emergency caller ID ${number}${location ? `, location ${location}` : ', no location identifier set'}` +
      (location && gw.locationHeader ? ` (sent in ${gw.locationHeader})` : ''),
  );
  if (location) steps.push({ kind: 'set', name: 'pbx_emergency_location', value: location, export: true });
  if (effectiveRecording(s, caller) === 'ALWAYS') steps.record('outbound call of a recorded extension');
  steps.push({
    kind: 'outbound',
    tenantId: t.id,
    domain: t.domain,
    gateway: gw.fsName,
    dial: `${gw.prefix}${dialed}`,
    trunks: trunks.map((g) => ({
      gateway: g.fsName,
      dial: `${g.prefix}${dialed}`,
      callerIdNumber: formatForTrunk(number, g.callerIdFormat, home.country),
    })),
    e164: dialed,
    numberFormat: gw.numberFormat,
    callerIdNumber: formatForTrunk(number, gw.callerIdFormat, home.country),
    callerIdName: cid.name,
    maxConcurrent: 0,
    fraud: null,
    emergency: { location, locationHeader: gw.locationHeader ?? null },
  });
}
