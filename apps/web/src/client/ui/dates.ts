import { useMe } from '../session.js';
import { useTenant } from './tenant.js';

/**
 * Every date and time the portal shows, on the tenant's clock: a call at 09:00 in London reads 09:00 whichever
 * time zone the admin's browser is in. Until the zone is known the browser's own is used (undefined).
 */
export function formatDateTime(
  when: string | Date,
  timeZone: string | undefined,
  /** The browser's language unless given. */
  locale?: string,
): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(when));
}

/** The calendar day ("2026-11-02") it is at `when` in the zone. */
export function dayIn(when: Date, timeZone: string | undefined): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(when);
}

/** How far the zone's wall clock is ahead of UTC at `utcMs`, in milliseconds. */
function offsetAt(utcMs: number, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(utcMs);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The instant a calendar day ("2026-11-02", plus `addDays`) starts in the zone, as the API's ISO filters want it;
 * the text itself when it is no date. The offset is taken twice: a day that starts on the other side of a
 * daylight-saving change gets the offset of its own midnight.
 */
export function dayStartIn(day: string, timeZone: string | undefined, addDays = 0): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  const wall = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  return Number.isNaN(wall) ? day : wallToIso(wall, timeZone);
}

/**
 * A wall-clock time as a `datetime-local` input gives it ("2026-12-07T10:00"), read in the tenant's time zone
 * rather than the browser's, as an ISO instant; null when the text is not such a time.
 */
export function zonedToIso(local: string, timeZone: string | undefined): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local.trim());
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return Number.isNaN(wall) ? null : wallToIso(wall, timeZone);
}

/**
 * The instant at which the zone's clock shows `wall` (a wall-clock time written as if it were UTC). The offset is
 * taken twice: the instant may lie on the other side of a daylight-saving change than the first guess.
 */
function wallToIso(wall: number, timeZone: string | undefined): string {
  const first = wall - offsetAt(wall, timeZone);
  return new Date(wall - offsetAt(first, timeZone)).toISOString();
}

/**
 * The time zone of the tenant being looked at: a tenant's own users have it in /auth/me (they may not read the
 * tenant), a platform admin reads the tenant.
 */
export function useTenantZone(tenantId: string | undefined): string | undefined {
  const me = useMe().data;
  const own = me?.tenant && (!tenantId || me.tenant.id === tenantId) ? me.tenant.timeZone : undefined;
  const tenant = useTenant(tenantId ?? '', own === undefined && !!tenantId && me?.role === 'PLATFORM_ADMIN');
  return own ?? tenant.data?.timeZone;
}

/** `formatDateTime` bound to the tenant's zone, for pages that show several dates. */
export function useDateFormat(tenantId: string | undefined): (when: string | Date) => string {
  const zone = useTenantZone(tenantId);
  return (when) => formatDateTime(when, zone);
}
