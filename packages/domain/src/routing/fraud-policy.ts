// The outbound fraud policy's part that needs nothing but the tenant snapshot: the per-country allow-list and the
// maximum call duration. Caps and the velocity rule need live state and are the controller's (FraudGate), asked
// after the engine decided an external call.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DEFAULT_FRAUD_SETTINGS, type FraudSettings } from '../fraud/defaults.js';
import type { ClassifiedNumber } from './numbers.js';
import type { BlockedReason, RouteStep, TenantSnapshot } from './types.js';

export function fraudSettingsOf(s: TenantSnapshot): FraudSettings {
  return s.fraud ?? DEFAULT_FRAUD_SETTINGS;
}

/**
 * The ISO 3166-1 alpha-2 country of an E.164 number, from libphonenumber's full metadata (so +1 876… is JM, not
 * US); null for numbers of no country (+881 satellite, +979 international premium) and for numbers it cannot
 * place.
 */
export function countryOf(e164: string): string | null {
  return parsePhoneNumberFromString(e164)?.country ?? null;
}

/**
 * Why the country allow-list refuses `n`, or null. Only international calls are checked (national and local ones
 * are the tenant's own country); a number of no country is refused whenever a list is set. `extra`: the calling
 * extension's override, countries it may call besides the tenant's list (it never lifts the class switches).
 */
export function countryBlock(
  n: ClassifiedNumber,
  settings: FraudSettings,
  extra: readonly string[] = [],
): 'COUNTRY_BLOCKED' | null {
  if (n.class !== 'INTERNATIONAL' || settings.allowedCountries.length === 0) return null;
  const country = countryOf(n.e164);
  if (country === null) return 'COUNTRY_BLOCKED';
  return settings.allowedCountries.includes(country) || extra.includes(country) ? null : 'COUNTRY_BLOCKED';
}

/**
 * The route with its external call replaced by a refusal (the controller's live checks refused it): what came
 * before (the tenant, direction and recording variables) stays, so the CDR is the call's, with the reason.
 */
export function refuseOutbound(steps: readonly RouteStep[], reason: BlockedReason, why: string): RouteStep[] {
  const at = steps.findIndex((s) => s.kind === 'outbound');
  const head = at < 0 ? [...steps] : steps.slice(0, at);
  return [
    ...head,
    { kind: 'note', text: why },
    { kind: 'set', name: 'pbx_blocked_reason', value: reason },
    {
      kind: 'hangup',
      cause: reason.endsWith('CONCURRENT_LIMIT') ? 'NORMAL_CIRCUIT_CONGESTION' : 'OUTGOING_CALL_BARRED',
      reason,
    },
  ];
}
