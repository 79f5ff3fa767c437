// The steps of one route as the engine decides them, with the few step sequences every branch shares.
import type { BlockedReason, RingStep, RouteStep } from './types.js';

/** The direction variable of every route: one of three constant steps (steps are never changed once made). */
const DIRECTION_STEPS = {
  inbound: { kind: 'set', name: 'pbx_direction', value: 'inbound', export: true },
  outbound: { kind: 'set', name: 'pbx_direction', value: 'outbound', export: true },
  internal: { kind: 'set', name: 'pbx_direction', value: 'internal', export: true },
} as const satisfies Record<string, RouteStep>;

export class RouteSteps {
  readonly list: RouteStep[] = [];
  private recording = false;
  /** Noted as steps are pushed (every step but the ones this class adds itself): read once the route is decided. */
  private voicemail = false;
  private outbound = false;
  private firstRing: RingStep | undefined;

  constructor(private readonly tenantId: string) {}

  push(step: RouteStep): void {
    this.list.push(step);
    if (step.kind === 'voicemail') this.voicemail = true;
    else if (step.kind === 'outbound') this.outbound = true;
    else if (step.kind === 'ring') this.firstRing ??= step;
  }

  note(text: string): void {
    this.list.push({ kind: 'note', text });
  }

  unallocated(): void {
    this.list.push({ kind: 'set', name: 'pbx_route_result', value: 'UNALLOCATED' });
    this.list.push({ kind: 'hangup', cause: 'UNALLOCATED_NUMBER', reason: 'UNALLOCATED' });
  }

  block(
    reason: BlockedReason,
    cause: 'OUTGOING_CALL_BARRED' | 'CALL_REJECTED' | 'NORMAL_CIRCUIT_CONGESTION' | 'NETWORK_OUT_OF_ORDER',
  ): void {
    this.list.push({ kind: 'set', name: 'pbx_blocked_reason', value: reason });
    this.list.push({ kind: 'hangup', cause, reason });
  }

  /** Recording starts once per call, whichever rule asks first. */
  record(why: string): void {
    if (this.recording) return;
    this.recording = true;
    this.note(why);
    this.list.push({ kind: 'record', tenantId: this.tenantId });
  }

  /**
   * A voicemail deposit or mailbox session is not a conversation: it is never call-recorded (the message is its own
   * recording, and a mailbox session would record the PIN's tones). A route that ends in voicemail drops the
   * record_session it would have started; a continuation of a recorded ring (`inherited`) stops the one already
   * running.
   */
  keepVoicemailUnrecorded(inherited: boolean): void {
    if (!this.voicemail) return;
    const list = this.list;
    const before = list.length;
    for (let i = list.length - 1; i >= 0; i--) if (list[i]?.kind === 'record') list.splice(i, 1);
    const at = list.findIndex((s) => s.kind === 'voicemail');
    if (inherited) {
      list.splice(
        at,
        0,
        { kind: 'note', text: 'call recording stops for voicemail' },
        { kind: 'stop_record' },
      );
    } else if (list.length < before) {
      list.splice(at, 0, { kind: 'note', text: 'voicemail is not call-recorded' });
    }
  }

  /**
   * The steps with the variables CDR ingestion reads (docs/call-records.md): the direction of the call, and on
   * the A leg the extension it belongs to (the caller's for internal/outbound calls, the single rung extension
   * for inbound). B legs get theirs in the dial string.
   */
  withCdrVariables(inbound: boolean, callerNumber: string | undefined): RouteStep[] {
    const ring = this.firstRing;
    const directionStep = DIRECTION_STEPS[inbound ? 'inbound' : this.outbound ? 'outbound' : 'internal'];
    const own = inbound
      ? ring && ring.targets.length === 1
        ? ring.targets[0]?.number
        : undefined
      : callerNumber;
    // After pbx_tenant_id, which is always the first step.
    if (own) this.list.splice(1, 0, directionStep, { kind: 'set', name: 'pbx_extension', value: own });
    else this.list.splice(1, 0, directionStep);
    return this.list;
  }
}
