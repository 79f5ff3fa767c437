import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

/** How a trunk wants numbers (the Gateway's numberFormat / callerIdFormat; the same enum in @pbx/db). */
export const NumberFormatSchema = z.enum(['E164', 'E164_NO_PLUS', 'NATIONAL']);
export type NumberFormat = z.infer<typeof NumberFormatSchema>;

/**
 * An E.164 number in the form a trunk requires: `+4930123456`, `4930123456`, or NATIONAL: the national form
 * (`030123456`, digits only) for numbers of the tenant's country and the country's international form for others
 * (`011 44…` from the US, `0011 44…` from AU, `00 44…` from DE). Without a tenant country NATIONAL cannot be
 * worked out, so the number stays E.164 without the plus. Anything that is not E.164 (an emergency short code) is
 * sent as dialed.
 */
export function formatForTrunk(e164: string, format: NumberFormat, country: string | null): string {
  if (!e164.startsWith('+')) return e164;
  if (format === 'E164') return e164;
  if (format === 'E164_NO_PLUS' || country === null) return e164.slice(1);
  const n = parsePhoneNumberFromString(e164);
  if (!n) return e164.slice(1);
  const text =
    n.country === country ? n.format('NATIONAL') : n.format('IDD', { fromCountry: country as CountryCode });
  const digits = text.replace(/\D/g, '');
  return digits.length > 0 ? digits : e164.slice(1);
}
