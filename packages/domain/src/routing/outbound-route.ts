// An external number dialled (or forwarded to): classified for the tenant's country, checked against the outbound and
// fraud policy, then sent out through the tenant's trunks in order, each in its own number and caller-ID format.
// Emergency numbers leave here for emergency-route.ts, which nothing may stop.
import { routeEmergency } from './emergency-route.js';
import { enabledTrunks } from './failover.js';
import { countryBlock, fraudSettingsOf } from './fraud-policy.js';
import { formatForTrunk } from './number-format.js';
import { classifyNumber, homeOf } from './numbers.js';
import { outboundBlock } from './outbound-block.js';
import type { RouteSteps } from './route-steps.js';
import { effectiveRecording, outboundCallerId } from './snapshot-index.js';
import type { ExtensionSnapshot, TenantSnapshot } from './types.js';

export function routeOutbound(
  steps: RouteSteps,
  s: TenantSnapshot,
  dialed: string,
  principal: ExtensionSnapshot | undefined,
): void {
  const t = s.tenant;
  const home = homeOf(t);
  const n = classifyNumber(dialed, home);
  if (!n) {
    steps.note(`${dialed} cannot be dialed out (not a valid number for ${t.domain})`);
    return steps.unallocated();
  }
  if (n.class === 'EMERGENCY') return routeEmergency(steps, s, dialed, principal, home);
  steps.note(`external ${n.class.toLowerCase()}${n.premium ? ' premium' : ''} number ${n.e164}`);
  const blocked = outboundBlock(n, t, principal?.outboundPolicy);
  if (blocked) return steps.block(blocked, 'OUTGOING_CALL_BARRED');
  const fraud = fraudSettingsOf(s);
  if (countryBlock(n, fraud, principal?.extraCountries))
    return steps.block('COUNTRY_BLOCKED', 'OUTGOING_CALL_BARRED');
  const trunks = enabledTrunks(s);
  const gw = trunks[0];
  if (!gw) return steps.block('NO_GATEWAY', 'NETWORK_OUT_OF_ORDER');
  if (t.maxConcurrentOutbound <= 0) return steps.block('CONCURRENT_LIMIT', 'NORMAL_CIRCUIT_CONGESTION');
  const cid = outboundCallerId(s, principal);
  const cidNumber = cid.number;
  if (!cidNumber) return steps.block('NO_CALLER_ID', 'OUTGOING_CALL_BARRED');
  if (effectiveRecording(s, principal) === 'ALWAYS') steps.record('outbound call of a recorded extension');
  steps.push({
    kind: 'outbound',
    tenantId: t.id,
    domain: t.domain,
    gateway: gw.fsName,
    dial: `${gw.prefix}${formatForTrunk(n.e164, gw.numberFormat, home.country)}`,
    // Each trunk gets the number and the caller ID in its own formats.
    trunks: trunks.map((g) => ({
      gateway: g.fsName,
      dial: `${g.prefix}${formatForTrunk(n.e164, g.numberFormat, home.country)}`,
      callerIdNumber: formatForTrunk(cidNumber, g.callerIdFormat, home.country),
    })),
    e164: n.e164,
    numberFormat: gw.numberFormat,
    callerIdNumber: formatForTrunk(cidNumber, gw.callerIdFormat, home.country),
    callerIdName: cid.name,
    maxConcurrent: t.maxConcurrentOutbound,
    fraud: { extension: principal?.number ?? null, maxDurationSec: fraud.maxCallDurationSec },
  });
}
