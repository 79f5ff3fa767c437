// Emergency numbers per country. The source is Google's libphonenumber short-number metadata
// (ShortNumberMetadata.xml, the `emergency` pattern of each region), which the google-libphonenumber package ships
// and updates with every libphonenumber release: 112 and 110 in DE, 999 and 112 in GB, 911 and 112 in US, 000 and
// 112 in AU, 15/17/18/112 in FR, … libphonenumber-js does not carry that metadata, hence the second package.
import lib from 'google-libphonenumber';

const shortNumbers = lib.ShortNumberInfo.getInstance();

/**
 * For a tenant of no known country (no country set, no default caller ID to take it from): the common emergency
 * short codes of the countries libphonenumber lists, so none of them can ring an extension or be refused. Reserving
 * one too many is the safe mistake.
 */
export const EMERGENCY_NUMBERS_WITHOUT_COUNTRY: ReadonlySet<string> = new Set([
  '112',
  '911',
  '999',
  '000',
  '110',
  '119',
  '15',
  '17',
  '18',
]);

/** Whether `dialed` is exactly an emergency number when dialed in `country` (ISO 3166-1 alpha-2; null: unknown). */
export function isEmergencyNumber(dialed: string, country: string | null): boolean {
  if (!/^\d{2,6}$/.test(dialed)) return false;
  if (country === null) return EMERGENCY_NUMBERS_WITHOUT_COUNTRY.has(dialed);
  return shortNumbers.isEmergencyNumber(dialed, country as lib.RegionCode);
}
