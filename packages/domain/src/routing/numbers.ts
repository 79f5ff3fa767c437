import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { isEmergencyNumber } from './emergency.js';
import type { OutboundPolicy } from './types.js';

/**
 * Dialing rules for outbound calls, read with libphonenumber-js for the tenant's country: national dialling
 * (`030 1234567` in DE, `020 7183 8750` in GB, 10 or 1+10 digits in the US, `02 …` in AU), the country's own
 * international prefix (`00` in DE/GB, `011` in the US, `0011` in AU) and `+`. `00` is also taken as an
 * international prefix where the country's own is another, when the number is not a national one. A tenant without
 * a country takes the country of its default caller ID; with neither, only `+…` and `00…` numbers can be placed
 * and all of them count as international.
 */

/** Where a tenant's phones dial from: its country (ISO 3166-1 alpha-2) and its main number (for "local"). */
export type DialingHome = { country: string | null; callerId: string | null };

/** The tenant's dialling home: its country, else its default caller ID's (tenants made before `country`). */
export function homeOf(t: { country?: string | null; defaultCallerIdNumber: string | null }): DialingHome {
  let home = homes.get(t);
  if (!home) homes.set(t, (home = readHome(t)));
  return home;
}

// A snapshot's tenant is immutable and asked for every call: its home is parsed once.
const homes = new WeakMap<object, DialingHome>();

function readHome(t: { country?: string | null; defaultCallerIdNumber: string | null }): DialingHome {
  const callerId = t.defaultCallerIdNumber;
  // The API only stores supported countries; a row edited by hand is treated as no country, never as a crash.
  const set = t.country && isSupportedCountry(t.country) ? t.country : null;
  const country = set ?? (callerId ? (parsePhoneNumberFromString(callerId)?.country ?? null) : null);
  return { country, callerId };
}

/**
 * Premium-rate and shared-cost ranges that need the tenant's allowPremium.
 * Global: +979 (international premium rate), +881/+882/+883 (satellite and
 * international networks, expensive). National: NANP 900/976, UK 09/087/070,
 * France 089/081(6+), Germany 0900/0137, Italy 89, Spain 80x, Austria 0900/0901/0930/0931/0939,
 * Switzerland 0900/0901/0906. They apply to the tenant's own country too: a national premium call is as
 * expensive as any (issue #14).
 */
const PREMIUM_PREFIXES = [
  '+979',
  '+881',
  '+882',
  '+883',
  '+1900',
  '+1976',
  '+449',
  '+4487',
  '+4470',
  '+3389',
  '+3381',
  '+49900',
  '+49137',
  '+3989',
  '+34803',
  '+34806',
  '+34807',
  '+43900',
  '+43901',
  '+43930',
  '+43931',
  '+43939',
  '+41900',
  '+41901',
  '+41906',
];

export type NumberClass = 'EMERGENCY' | 'LOCAL' | 'NATIONAL' | 'INTERNATIONAL';

export type ClassifiedNumber = { e164: string; class: NumberClass; premium: boolean };

/** True for anything that looks like an external number rather than an internal one (emergency numbers aside). */
export function looksExternal(dialed: string): boolean {
  return /^\+\d{6,15}$/.test(dialed) || /^\d{7,17}$/.test(dialed);
}

/** Normalises a dialed string to E.164 for a tenant dialling from `country`; null if it is no number there. */
export function toE164(dialed: string, country: string | null): string | null {
  if (!/^\+?\d{3,20}$/.test(dialed)) return null;
  if (dialed.startsWith('+')) return possible(dialed);
  if (country !== null) {
    // A national number must be a valid one (not just of a possible length): `1234567` in DE is not 030 1234567.
    const n = parsePhoneNumberFromString(dialed, country as CountryCode);
    if (n?.isValid()) return n.number;
  }
  return dialed.startsWith('00') ? possible(`+${dialed.slice(2)}`) : null;
}

function possible(international: string): string | null {
  const n = parsePhoneNumberFromString(international);
  return n?.isPossible() ? n.number : null;
}

export function classifyNumber(dialed: string, home: DialingHome): ClassifiedNumber | null {
  if (isEmergencyNumber(dialed, home.country)) return { e164: dialed, class: 'EMERGENCY', premium: false };
  const e164 = toE164(dialed, home.country);
  if (!e164) return null;
  const parsed = parsePhoneNumberFromString(e164);
  const type = parsed?.getType();
  const premium =
    type === 'PREMIUM_RATE' || type === 'SHARED_COST' || PREMIUM_PREFIXES.some((p) => e164.startsWith(p));
  let cls: NumberClass = 'INTERNATIONAL';
  if (home.country !== null && parsed?.country === home.country) {
    cls = 'NATIONAL';
    // "Local" = the same first three national digits (area code) as the tenant's main number.
    const own = home.callerId ? parsePhoneNumberFromString(home.callerId) : undefined;
    if (own?.country === home.country && own.nationalNumber.slice(0, 3) === parsed.nationalNumber.slice(0, 3))
      cls = 'LOCAL';
  }
  return { e164, class: cls, premium };
}

const RANK: Record<OutboundPolicy, number> = { NONE: 0, LOCAL: 1, NATIONAL: 2, INTERNATIONAL: 3 };

/** Whether an extension's outbound policy covers a number class. */
export function policyAllows(policy: OutboundPolicy, cls: NumberClass): boolean {
  if (cls === 'EMERGENCY') return true;
  return RANK[policy] >= RANK[cls];
}
