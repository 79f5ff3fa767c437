import type { OutboundPolicy } from './types.js';

/**
 * Dialing rules for outbound calls. A number is normalised to E.164 and then
 * classified against the tenant's home country, which is the country of the
 * tenant's default caller ID (E.164). Without one, only numbers dialed in full
 * international form (+..., 00...) can be placed, and all of them count as
 * international.
 */

// ITU-T E.164 country codes are prefix-free: zones 1 and 7 use one digit,
// these use two, and every other code uses three.
const TWO_DIGIT_CODES = new Set([
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
]);

export function countryCodeOf(e164: string): string | null {
  const m = /^\+(\d+)$/.exec(e164);
  if (!m?.[1]) return null;
  const digits = m[1];
  if (digits.startsWith('1') || digits.startsWith('7')) return digits.slice(0, 1);
  const two = digits.slice(0, 2);
  return TWO_DIGIT_CODES.has(two) ? two : digits.slice(0, 3);
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

/** Emergency numbers go out whatever the policy says. */
export const EMERGENCY_NUMBERS = new Set(['112', '911', '999', '000', '110', '15', '17', '18']);

export type NumberClass = 'EMERGENCY' | 'LOCAL' | 'NATIONAL' | 'INTERNATIONAL';

export type ClassifiedNumber = { e164: string; class: NumberClass; premium: boolean };

/** True for anything that looks like an external number rather than an internal one. */
export function looksExternal(dialed: string): boolean {
  return /^\+\d{6,15}$/.test(dialed) || /^\d{7,17}$/.test(dialed) || EMERGENCY_NUMBERS.has(dialed);
}

/** Normalises a dialed string to E.164 using the home country; null if it cannot be. */
export function toE164(dialed: string, homeCountry: string | null): string | null {
  if (/^\+[1-9]\d{5,14}$/.test(dialed)) return dialed;
  if (/^00[1-9]\d{5,14}$/.test(dialed)) return `+${dialed.slice(2)}`;
  if (homeCountry === '1') {
    if (/^011[1-9]\d{5,14}$/.test(dialed)) return `+${dialed.slice(3)}`;
    if (/^[2-9]\d{9}$/.test(dialed)) return `+1${dialed}`;
    if (/^1[2-9]\d{9}$/.test(dialed)) return `+${dialed}`;
    return null;
  }
  if (homeCountry && /^0[1-9]\d{4,13}$/.test(dialed)) return `+${homeCountry}${dialed.slice(1)}`;
  return null;
}

export function classifyNumber(dialed: string, tenantCallerId: string | null): ClassifiedNumber | null {
  if (EMERGENCY_NUMBERS.has(dialed)) return { e164: dialed, class: 'EMERGENCY', premium: false };
  const home = tenantCallerId ? countryCodeOf(tenantCallerId) : null;
  const e164 = toE164(dialed, home);
  if (!e164) return null;
  const cc = countryCodeOf(e164);
  const premium = PREMIUM_PREFIXES.some((p) => e164.startsWith(p));
  let cls: NumberClass = 'INTERNATIONAL';
  if (home && cc === home && tenantCallerId) {
    // "Local" = same country and same first three national digits (area code) as the tenant's number.
    const area = tenantCallerId.slice(1 + home.length, 4 + home.length);
    cls = e164.slice(1 + home.length, 4 + home.length) === area ? 'LOCAL' : 'NATIONAL';
  }
  return { e164, class: cls, premium };
}

const RANK: Record<OutboundPolicy, number> = { NONE: 0, LOCAL: 1, NATIONAL: 2, INTERNATIONAL: 3 };

/** Whether an extension's outbound policy covers a number class. */
export function policyAllows(policy: OutboundPolicy, cls: NumberClass): boolean {
  if (cls === 'EMERGENCY') return true;
  return RANK[policy] >= RANK[cls];
}
