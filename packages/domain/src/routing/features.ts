import type { StoredDestination } from './snapshot.js';

/**
 * Feature codes dialed from a tenant's phones. Codes win over extension
 * numbers, so extensions must not be numbered 72, 73, 78, 79, 97 or 98 if
 * callers need to reach them with a leading star.
 */
export const FEATURE_CODES = {
  checkOwnVoicemail: '*97',
  checkAnyVoicemail: '*98',
  dndOn: '*78',
  dndOff: '*79',
  /** Followed by the target: an extension number or an external number. */
  forwardAlwaysSet: '*72',
  forwardAlwaysClear: '*73',
  /** `*` + an extension (or box) number: straight to that voicemail box. */
  directToVoicemail: '*',
} as const;

/**
 * Destinations the engine itself hands to FreeSWITCH for a second lookup
 * (e.g. after a failed bridge, `${originate_disposition}` is appended).
 * They only exist inside a tenant context.
 */
export const SYNTHETIC = {
  afterExtension: (number: string) => `pbx-after-ext-${number}-`,
  afterRingGroup: (id: string) => `pbx-after-rg-${id}-`,
  blocked: (reason: string) => `pbx-blocked-${reason}`,
  /**
   * A stored destination (an IVR option, its time-out or invalid destination) as a number the IVR runtime
   * transfers the caller to. Many destinations (a voicemail box, a time condition, a ring group without a number)
   * have no number a phone could dial. Like every internal destination it is honoured only with a transfer
   * token (RouteInput.internal), which the IVR sets right before its transfer, so a phone that dials it gets
   * "unallocated".
   */
  go: (d: StoredDestination) => `pbx-go-${d.type}-${d.value ?? ''}`,
} as const;

/**
 * Every destination the platform hands to FreeSWITCH for a second lookup starts with this, and only those do
 * (extension, ring-group and feature numbers are digits and `*`). The engine refuses them unless the lookup is
 * known to come from the platform's own transfer (RouteInput.internal): dialed directly they would skip the
 * caller's own recording and outbound policy.
 */
export const INTERNAL_PREFIX = 'pbx-';

export function isInternalDestination(destination: string): boolean {
  return destination.startsWith(INTERNAL_PREFIX);
}

export type Synthetic =
  | { kind: 'after-ext'; number: string; disposition: string }
  | { kind: 'after-rg'; id: string; disposition: string }
  | { kind: 'blocked'; reason: string }
  | { kind: 'go'; destination: StoredDestination };

const GO_RE =
  /^pbx-go-(EXTENSION|VOICEMAIL|IVR_MENU|RING_GROUP|TIME_CONDITION|EXTERNAL|HANGUP)-([0-9a-f-]{36}|\+\d{6,15})?$/;

export function parseSynthetic(destination: string): Synthetic | null {
  // Every call asks; almost every destination is an ordinary number, which none of the patterns can match.
  if (!destination.startsWith('pbx-')) return null;
  let m = /^pbx-after-ext-(\d{1,8})-([A-Z_]*)$/.exec(destination);
  if (m?.[1] !== undefined && m[2] !== undefined)
    return { kind: 'after-ext', number: m[1], disposition: m[2] };
  m = /^pbx-after-rg-([0-9a-f-]{36})-([A-Z_]*)$/.exec(destination);
  if (m?.[1] !== undefined && m[2] !== undefined) return { kind: 'after-rg', id: m[1], disposition: m[2] };
  m = /^pbx-blocked-([A-Z_]{1,40})$/.exec(destination);
  if (m?.[1] !== undefined) return { kind: 'blocked', reason: m[1] };
  m = GO_RE.exec(destination);
  if (m?.[1] !== undefined)
    return {
      kind: 'go',
      destination: { type: m[1] as StoredDestination['type'], value: m[2] ?? null },
    };
  return null;
}

/** Dispositions FreeSWITCH reports when the callee actively refused the call. */
export const BUSY_DISPOSITIONS: ReadonlySet<string> = new Set(['USER_BUSY', 'CALL_REJECTED']);

/** What a failed ring's `originate_disposition` means for the caller: busy (refused) or unavailable (anything else). */
export const ringOutcome = (disposition: string): 'busy' | 'unavailable' =>
  BUSY_DISPOSITIONS.has(disposition) ? 'busy' : 'unavailable';
