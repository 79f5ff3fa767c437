// Reading a tenant snapshot: its lookup maps (built once per snapshot) and the settings derived from it.
import { isEmergencyNumber } from './emergency.js';
import { homeOf, type DialingHome } from './numbers.js';
import type {
  ExtensionSnapshot,
  RecordingPolicy,
  RingGroupSnapshot,
  RingStep,
  RouteStep,
  TenantSnapshot,
} from './types.js';

export type Index = {
  extById: Map<string, ExtensionSnapshot>;
  extByNumber: Map<string, ExtensionSnapshot>;
  boxById: Map<string, TenantSnapshot['voicemailBoxes'][number]>;
  boxByNumber: Map<string, TenantSnapshot['voicemailBoxes'][number]>;
  ivrById: Map<string, TenantSnapshot['ivrMenus'][number]>;
  ivrByNumber: Map<string, TenantSnapshot['ivrMenus'][number]>;
  rgById: Map<string, RingGroupSnapshot>;
  rgByNumber: Map<string, RingGroupSnapshot>;
  tcById: Map<string, TenantSnapshot['timeConditions'][number]>;
  didByE164: Map<string, TenantSnapshot['inboundNumbers'][number]>;
  /** Where the tenant's phones dial from (numbers.ts homeOf). */
  home: DialingHome;
  /** Answers of isEmergencyNumber for the tenant's home (with a country), by dialed number (see emergencyNumber). */
  emergency: Map<string, boolean>;
  /** The first step of every route of the tenant (`pbx_tenant_id`). */
  tenantStep: RouteStep;
  /**
   * Filled as calls come (ring-route.ts): what ringing an extension (by id) or a ring group (by id) means depends
   * on the snapshot alone, so it is worked out once per snapshot and its steps are shared by every call. Steps are
   * never changed once made; sharing them also lets the renderer keep each ring step's rendered lines.
   */
  extRings: Map<string, RingStep>;
  groupRings: Map<string, { skipped: string[]; step: RingStep | null }>;
};

// Snapshots are immutable once loaded, so their lookup maps are built once.
const indexes = new WeakMap<TenantSnapshot, Index>();

export function indexOf(s: TenantSnapshot): Index {
  let ix = indexes.get(s);
  if (!ix) {
    const byNumber = <T extends { number: string | null }>(xs: T[]) =>
      new Map(xs.flatMap((x) => (x.number ? [[x.number, x] as const] : [])));
    ix = {
      extById: new Map(s.extensions.map((e) => [e.id, e])),
      extByNumber: byNumber(s.extensions),
      boxById: new Map(s.voicemailBoxes.map((b) => [b.id, b])),
      boxByNumber: byNumber(s.voicemailBoxes),
      ivrById: new Map(s.ivrMenus.map((m) => [m.id, m])),
      ivrByNumber: byNumber(s.ivrMenus),
      rgById: new Map(s.ringGroups.map((g) => [g.id, g])),
      rgByNumber: byNumber(s.ringGroups),
      tcById: new Map(s.timeConditions.map((t) => [t.id, t])),
      didByE164: new Map(s.inboundNumbers.map((n) => [n.e164, n])),
      home: homeOf(s.tenant),
      emergency: new Map(),
      tenantStep: { kind: 'set', name: 'pbx_tenant_id', value: s.tenant.id, export: true },
      extRings: new Map(),
      groupRings: new Map(),
    };
    indexes.set(s, ix);
  }
  return ix;
}

/** Distinct dialed numbers whose emergency verdict a snapshot keeps: its extensions' and the like, not a scan's. */
const EMERGENCY_MEMO = 512;

/**
 * Whether `dialed` is an emergency number where the tenant dials from. Every call to an extension asks (its number
 * has the shape of a short code), and with a country libphonenumber's short-number match costs more than the rest
 * of such a route: the verdict is kept per snapshot (bounded), since it depends only on the number and the home.
 */
export function emergencyNumber(ix: Index, dialed: string): boolean {
  // Without a country the answer is a pattern and a look-up in one small shared set: cheaper than a memo.
  if (ix.home.country === null) return isEmergencyNumber(dialed, null);
  let v = ix.emergency.get(dialed);
  if (v === undefined) {
    v = isEmergencyNumber(dialed, ix.home.country);
    if (ix.emergency.size < EMERGENCY_MEMO) ix.emergency.set(dialed, v);
  }
  return v;
}

/** Finds an extension of the snapshot by number (used by the directory). */
export function findExtension(s: TenantSnapshot, number: string): ExtensionSnapshot | undefined {
  return indexOf(s).extByNumber.get(number);
}

export function effectiveRecording(
  s: TenantSnapshot,
  ext: ExtensionSnapshot | undefined,
): Exclude<RecordingPolicy, 'INHERIT'> {
  const p = ext?.recordingPolicy ?? 'INHERIT';
  return p === 'INHERIT' ? (s.tenant.recordingPolicy === 'ALWAYS' ? 'ALWAYS' : 'NEVER') : p;
}

/**
 * The E.164 number an extension presents on external calls: its own caller ID only if that is still the tenant's
 * (an inbound number of the tenant, or verified for it by a platform admin), else its DID (the first enabled
 * inbound number that rings it directly), else the tenant's main number. The API refuses other numbers when
 * written; this also covers numbers released or unverified since.
 */
export function outboundCallerId(
  s: TenantSnapshot,
  ext: ExtensionSnapshot | undefined,
): { number: string | null; name: string } {
  const own = ext?.callerIdNumber;
  return {
    number: own && mayPresent(s, own) ? own : ((ext && didOf(s, ext)) ?? s.tenant.defaultCallerIdNumber),
    name: ext ? (ext.callerIdName ?? ext.displayName) : s.tenant.name,
  };
}

function didOf(s: TenantSnapshot, ext: ExtensionSnapshot): string | null {
  const did = s.inboundNumbers.find(
    (n) => n.enabled && n.destination.type === 'EXTENSION' && n.destination.value === ext.id,
  );
  return did?.e164 ?? null;
}

export function mayPresent(s: TenantSnapshot, e164: string): boolean {
  return indexOf(s).didByE164.has(e164) || (s.verifiedCallerIds?.includes(e164) ?? false);
}
