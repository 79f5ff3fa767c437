/**
 * What the routing engine takes and returns. Its input is the tenant snapshot
 * (./snapshot.ts), loaded by the controller once per tenant and cached; the
 * engine never does I/O, so the dialplan renderer and the dry-run explainer
 * see exactly the same decisions.
 */

import type { NumberFormat } from './number-format.js';
import type { StoredDestination, TenantSnapshot } from './snapshot.js';

export type { DestinationType, OutboundPolicy, RecordingPolicy } from '@pbx/contracts';
export * from './snapshot.js';

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
  /**
   * True only when the caller of the engine has verified that the platform itself sent the call to this
   * destination (a transfer it rendered, e.g. the controller's signed channel variable). Internal destinations
   * (`pbx-…`, see isInternalDestination) are refused without it, so a phone cannot dial them.
   */
  internal?: boolean;
};

/** Why the platform refused a call; lands in the CDR as pbx_blocked_reason. */
export type BlockedReason =
  | 'INTERNATIONAL_BLOCKED'
  | 'PREMIUM_BLOCKED'
  | 'POLICY_BLOCKED'
  | 'NO_GATEWAY'
  | 'NO_CALLER_ID'
  | 'CONCURRENT_LIMIT'
  /** The outbound fraud policy (docs/security.md): the controller's live checks and the country allow-list. */
  | 'COUNTRY_BLOCKED'
  | 'EXTENSION_BLOCKED'
  | 'EXTENSION_CONCURRENT_LIMIT'
  | 'VELOCITY_BLOCKED'
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
 * An extension's failed ring, run inline (RingStep.onFail): its voicemail box (busy or unavailable greeting by the
 * disposition), or a hang-up with the ring's own cause (what FreeSWITCH does with a failed bridge by default).
 */
export type RingFailure =
  | { readonly kind: 'voicemail'; readonly boxId: string; readonly boxNumber: string }
  | { readonly kind: 'hangup' };

/** A ring step (see RouteStep); the engine makes one per extension and ring group of a snapshot, shared by every call. */
export type RingStep = Extract<RouteStep, { kind: 'ring' }>;

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
  /** Ends the channel's call recording (started before a ring this continuation follows): voicemail is not call-recorded. */
  | { kind: 'stop_record' }
  /** Made once per tenant snapshot and shared by every call (Index): read-only, so no call can change another's. */
  | {
      readonly kind: 'ring';
      readonly strategy: 'SIMULTANEOUS' | 'SEQUENTIAL';
      readonly domain: string;
      readonly targets: readonly Readonly<RingTarget>[];
      /** Overall time for SIMULTANEOUS; each target's own time for SEQUENTIAL. */
      readonly timeoutSec: number;
      /** Synthetic destination dialed (in the tenant context) when the ring fails; `{disposition}` is filled in by FreeSWITCH. */
      readonly next: string;
      /**
       * Set when what `next` leads to is the same for every outcome of the ring but for the greeting or the cause
       * (an extension that forwards nowhere): the renderer then runs it right after the bridge, which FreeSWITCH
       * reaches only when the bridge failed, with `originate_disposition` set, instead of a signed transfer to
       * `next` and a second lookup. `next` stays what the explainer follows, and routes the same way.
       */
      readonly onFail?: RingFailure;
    }
  | {
      kind: 'voicemail';
      mode: 'leave' | 'check' | 'check_any';
      boxId: string | null;
      boxNumber: string | null;
      /** Why a deposit reached the box: picks the busy or the unavailable greeting. */
      reason?: 'busy' | 'unavailable';
    }
  | { kind: 'ivr'; menuId: string; menuName: string }
  | {
      kind: 'outbound';
      tenantId: string;
      domain: string;
      gateway: string;
      /** What is sent to the gateway: prefix + the number in the trunk's format. */
      dial: string;
      /**
       * Every enabled trunk of the tenant in order (the first is `gateway`/`dial`): the call fails over to the next
       * one on a network-side failure (FAILOVER_CAUSES), never on the callee's answer (busy, rejected, no answer).
       */
      trunks: Array<{
        gateway: string;
        dial: string;
        /** In this trunk's callerIdFormat. */ callerIdNumber: string;
      }>;
      e164: string;
      /** The trunk's format `dial` (and, with its callerIdFormat, `callerIdNumber`) is written in. */
      numberFormat: NumberFormat;
      callerIdNumber: string;
      callerIdName: string;
      maxConcurrent: number;
      /**
       * What the controller's fraud checks need (null for an emergency call, which none of them may stop): the
       * extension the call counts against (the caller, or the one whose forward this is) and the longest the
       * answered call may last.
       */
      fraud: { extension: string | null; maxDurationSec: number } | null;
      /**
       * Set on emergency calls only: the location identifier (null: none set) and the SIP header the trunk takes it
       * in (null: the trunk takes none; the carrier keys the location on the caller ID).
       */
      emergency?: { location: string | null; locationHeader: string | null };
    }
  | { kind: 'feature'; feature: FeatureEffect; confirm: 'on' | 'off' }
  | { kind: 'hangup'; cause: HangupCause; reason?: BlockedReason | 'UNALLOCATED' };

/** A change a feature code makes; the controller applies it, the explainer only shows it. */
export type FeatureEffect =
  | { type: 'set_dnd'; extensionId: string; value: boolean }
  | { type: 'set_forward_always'; extensionId: string; destination: StoredDestination | null };

export type RouteResult = {
  tenantId: string;
  domain: string;
  steps: RouteStep[];
};
