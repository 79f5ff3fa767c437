/**
 * Plain data the routing engine works on. The controller loads it from the
 * database once per tenant and caches it; the engine never does I/O, so the
 * dialplan renderer and the dry-run explainer see exactly the same decisions.
 */

export type DestinationType =
  'EXTENSION' | 'VOICEMAIL' | 'IVR_MENU' | 'RING_GROUP' | 'TIME_CONDITION' | 'EXTERNAL' | 'HANGUP';
export type RecordingPolicy = 'INHERIT' | 'NEVER' | 'ALWAYS';
export type OutboundPolicy = 'NONE' | 'LOCAL' | 'NATIONAL' | 'INTERNATIONAL';

/** The schema's (type, value) column pair. */
export type Destination = { type: DestinationType; value: string | null };

export type ExtensionSnapshot = {
  id: string;
  number: string;
  displayName: string;
  callerIdName: string | null;
  callerIdNumber: string | null;
  sipA1Hash: string;
  enabled: boolean;
  voicemailEnabled: boolean;
  /** The box this extension's unanswered calls go to (null = none). */
  voicemailBoxId: string | null;
  recordingPolicy: RecordingPolicy;
  outboundPolicy: OutboundPolicy;
  ringTimeoutSec: number;
  dnd: boolean;
  forwardAlways: Destination | null;
  forwardBusy: Destination | null;
  forwardNoAnswer: Destination | null;
};

export type VoicemailBoxSnapshot = { id: string; number: string; name: string };
export type IvrMenuSnapshot = { id: string; name: string; number: string | null };
export type RingGroupSnapshot = {
  id: string;
  name: string;
  number: string | null;
  strategy: 'SIMULTANEOUS' | 'SEQUENTIAL';
  ringTimeoutSec: number;
  fallback: Destination;
  /** Ordered by position. */
  members: { extensionId: string; timeoutSec: number | null }[];
};
export type InboundNumberSnapshot = { e164: string; enabled: boolean; destination: Destination };
export type TimeConditionSnapshot = {
  id: string;
  name: string;
  match: Destination;
  noMatch: Destination;
  /** Weekly open hours, local time: [startMinute, endMinute) on dayOfWeek (0 = Sunday). */
  ranges: { dayOfWeek: number; startMinute: number; endMinute: number }[];
  /** Local dates (YYYY-MM-DD) on which the condition never matches. */
  holidays: string[];
};
export type GatewaySnapshot = { fsName: string; prefix: string; enabled: boolean };

export type TenantSnapshot = {
  tenant: {
    id: string;
    name: string;
    domain: string;
    timeZone: string;
    status: 'ACTIVE' | 'SUSPENDED';
    maxConcurrentOutbound: number;
    allowInternational: boolean;
    allowPremium: boolean;
    recordingPolicy: RecordingPolicy;
    defaultCallerIdNumber: string | null;
  };
  gateway: GatewaySnapshot | null;
  extensions: ExtensionSnapshot[];
  voicemailBoxes: VoicemailBoxSnapshot[];
  ivrMenus: IvrMenuSnapshot[];
  ringGroups: RingGroupSnapshot[];
  inboundNumbers: InboundNumberSnapshot[];
  timeConditions: TimeConditionSnapshot[];
};

/** Who is calling: one of this tenant's extensions, or someone outside (a DID call, a continuation). */
export type Caller =
  { kind: 'extension'; number: string } | { kind: 'external'; number: string; name?: string };

export type RouteInput = {
  snapshot: TenantSnapshot;
  /** 'tenant' = the tenant's own context (its phones); 'public' = a call from a trunk to one of its DIDs. */
  context: 'tenant' | 'public';
  caller: Caller;
  /** The dialed number (for 'public', the DID as received). */
  destination: string;
  now: Date;
};

/** Why the platform refused a call; lands in the CDR as pbx_blocked_reason. */
export type BlockedReason =
  | 'INTERNATIONAL_BLOCKED'
  | 'PREMIUM_BLOCKED'
  | 'POLICY_BLOCKED'
  | 'NO_GATEWAY'
  | 'NO_CALLER_ID'
  | 'CONCURRENT_LIMIT'
  | 'TENANT_SUSPENDED'
  | 'ROUTE_LOOP';

export type HangupCause =
  | 'NORMAL_CLEARING'
  | 'UNALLOCATED_NUMBER'
  | 'USER_BUSY'
  | 'NO_ANSWER'
  | 'OUTGOING_CALL_BARRED'
  | 'NORMAL_CIRCUIT_CONGESTION'
  | 'CALL_REJECTED'
  | 'NETWORK_OUT_OF_ORDER';

export type RingTarget = { extensionId: string; number: string; timeoutSec: number };

/**
 * One step of a route. Steps marked "note" only explain a decision; the
 * others become dialplan actions. Continuations ("what happens if nobody
 * answers") are separate routes for the synthetic destinations in `next`.
 */
export type RouteStep =
  | { kind: 'note'; text: string }
  /** A channel variable; `export` also hands it to the B legs the call creates. */
  | { kind: 'set'; name: string; value: string; export?: boolean }
  | { kind: 'answer' }
  | { kind: 'record'; tenantId: string }
  | {
      kind: 'ring';
      strategy: 'SIMULTANEOUS' | 'SEQUENTIAL';
      domain: string;
      targets: RingTarget[];
      /** Overall time for SIMULTANEOUS; each target's own time for SEQUENTIAL. */
      timeoutSec: number;
      /** Synthetic destination dialed (in the tenant context) when the ring fails; `{disposition}` is filled in by FreeSWITCH. */
      next: string;
    }
  | {
      kind: 'voicemail';
      mode: 'leave' | 'check' | 'check_any';
      boxId: string | null;
      boxNumber: string | null;
    }
  | { kind: 'ivr'; menuId: string; menuName: string }
  | {
      kind: 'outbound';
      tenantId: string;
      domain: string;
      gateway: string;
      /** What is sent to the gateway (prefix + E.164). */
      dial: string;
      e164: string;
      callerIdNumber: string;
      callerIdName: string;
      maxConcurrent: number;
    }
  | { kind: 'feature'; feature: FeatureEffect; confirm: 'on' | 'off' }
  | { kind: 'hangup'; cause: HangupCause; reason?: BlockedReason | 'UNALLOCATED' };

/** A change a feature code makes; the controller applies it, the explainer only shows it. */
export type FeatureEffect =
  | { type: 'set_dnd'; extensionId: string; value: boolean }
  | { type: 'set_forward_always'; extensionId: string; destination: Destination | null };

export type RouteResult = {
  tenantId: string;
  domain: string;
  steps: RouteStep[];
};
