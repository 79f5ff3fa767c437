import { BUSY_DISPOSITIONS, FEATURE_CODES, parseSynthetic, SYNTHETIC } from './features.js';
import { classifyNumber, looksExternal } from './numbers.js';
import { outboundBlock } from './outbound-block.js';
import { evaluateTimeCondition } from './time.js';
import type {
  BlockedReason,
  StoredDestination,
  ExtensionSnapshot,
  RecordingPolicy,
  RingGroupSnapshot,
  RouteInput,
  RouteResult,
  RouteStep,
  TenantSnapshot,
} from './types.js';

const MAX_DEPTH = 10;

type Index = {
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
};

// Snapshots are immutable once loaded, so their lookup maps are built once.
const indexes = new WeakMap<TenantSnapshot, Index>();

function indexOf(s: TenantSnapshot): Index {
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
    };
    indexes.set(s, ix);
  }
  return ix;
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

/** The E.164 number an extension presents on external calls. */
export function outboundCallerId(
  s: TenantSnapshot,
  ext: ExtensionSnapshot | undefined,
): { number: string | null; name: string } {
  return {
    number: ext?.callerIdNumber ?? s.tenant.defaultCallerIdNumber,
    name: ext ? (ext.callerIdName ?? ext.displayName) : s.tenant.name,
  };
}

/**
 * Decides what happens to one call, step by step. Pure: the same snapshot,
 * caller, number and time always give the same steps.
 */
export function routeCall(input: RouteInput): RouteResult {
  return new Router(input).run();
}

class Router {
  private readonly steps: RouteStep[] = [];
  private readonly ix: Index;
  private readonly s: TenantSnapshot;
  private recording = false;
  /** A continuation whose channel the first route already records (record_session survives the transfer). */
  private inheritedRecording = false;
  private callerExt: ExtensionSnapshot | undefined;

  constructor(private readonly input: RouteInput) {
    this.s = input.snapshot;
    this.ix = indexOf(input.snapshot);
  }

  run(): RouteResult {
    this.decide();
    this.keepVoicemailUnrecorded();
    const { tenant } = this.s;
    return { tenantId: tenant.id, domain: tenant.domain, steps: this.withCdrVariables() };
  }

  private decide(): void {
    const { tenant } = this.s;
    this.steps.push({ kind: 'set', name: 'pbx_tenant_id', value: tenant.id, export: true });
    if (tenant.status !== 'ACTIVE') return this.block('TENANT_SUSPENDED', 'CALL_REJECTED');
    if (this.input.context === 'public') return this.routePublic();
    const caller = this.input.caller;
    if (caller.kind === 'extension') {
      this.callerExt = this.ix.extByNumber.get(caller.number);
      if (!this.callerExt?.enabled) {
        this.note(`caller ${caller.number} is not an enabled extension of ${tenant.domain}`);
        return this.unallocated();
      }
      // A continuation (synthetic destination) runs on a channel that is already being recorded.
      const continuation = parseSynthetic(this.input.destination) !== null;
      if (effectiveRecording(this.s, this.callerExt) === 'ALWAYS') {
        if (continuation) this.inheritedRecording = true;
        else this.record(`caller ${caller.number} is recorded`);
      }
    }
    this.routeTenant(this.input.destination);
  }

  /**
   * A voicemail deposit or mailbox session is not a conversation: it is never call-recorded (the message is its own
   * recording, and a mailbox session would record the PIN's tones). A route that ends in voicemail drops the
   * record_session it would have started; a continuation of a recorded ring stops the one already running.
   */
  private keepVoicemailUnrecorded(): void {
    const vm = this.steps.findIndex((s) => s.kind === 'voicemail');
    if (vm === -1) return;
    const before = this.steps.length;
    for (let i = this.steps.length - 1; i >= 0; i--)
      if (this.steps[i]?.kind === 'record') this.steps.splice(i, 1);
    const at = this.steps.findIndex((s) => s.kind === 'voicemail');
    if (this.inheritedRecording) {
      this.steps.splice(
        at,
        0,
        { kind: 'note', text: 'call recording stops for voicemail' },
        { kind: 'stop_record' },
      );
    } else if (this.steps.length < before) {
      this.steps.splice(at, 0, { kind: 'note', text: 'voicemail is not call-recorded' });
    }
  }

  /**
   * The variables CDR ingestion reads (docs/call-records.md): the direction of the call, and on the A leg the
   * extension it belongs to (the caller's for internal/outbound calls, the single rung extension for inbound).
   * B legs get theirs in the dial string.
   */
  private withCdrVariables(): RouteStep[] {
    const inbound = this.input.context === 'public' || this.input.caller.kind !== 'extension';
    // Plain loops: this runs for every call, and a closure per call is measurable there.
    let outbound = false;
    let ring: Extract<RouteStep, { kind: 'ring' }> | undefined;
    for (const s of this.steps) {
      if (s.kind === 'outbound') outbound = true;
      else if (s.kind === 'ring') ring ??= s;
    }
    const direction = inbound ? 'inbound' : outbound ? 'outbound' : 'internal';
    const directionStep: RouteStep = { kind: 'set', name: 'pbx_direction', value: direction, export: true };
    const own = inbound
      ? ring && ring.targets.length === 1
        ? ring.targets[0]?.number
        : undefined
      : this.callerExt?.number;
    // After pbx_tenant_id, which is always the first step.
    if (own) this.steps.splice(1, 0, directionStep, { kind: 'set', name: 'pbx_extension', value: own });
    else this.steps.splice(1, 0, directionStep);
    return this.steps;
  }

  private note(text: string): void {
    this.steps.push({ kind: 'note', text });
  }

  private unallocated(): void {
    this.steps.push({ kind: 'set', name: 'pbx_route_result', value: 'UNALLOCATED' });
    this.steps.push({ kind: 'hangup', cause: 'UNALLOCATED_NUMBER', reason: 'UNALLOCATED' });
  }

  private block(
    reason: BlockedReason,
    cause: 'OUTGOING_CALL_BARRED' | 'CALL_REJECTED' | 'NORMAL_CIRCUIT_CONGESTION' | 'NETWORK_OUT_OF_ORDER',
  ): void {
    this.steps.push({ kind: 'set', name: 'pbx_blocked_reason', value: reason });
    this.steps.push({ kind: 'hangup', cause, reason });
  }

  private record(why: string): void {
    if (this.recording) return;
    this.recording = true;
    this.note(why);
    this.steps.push({ kind: 'record', tenantId: this.s.tenant.id });
  }

  private routePublic(): void {
    const raw = this.input.destination;
    const e164 = raw.startsWith('+') ? raw : `+${raw}`;
    const did = this.ix.didByE164.get(e164);
    if (!did?.enabled) {
      this.note(`${e164} is not an active inbound number of ${this.s.tenant.domain}`);
      this.unallocated();
      return;
    }
    this.note(`inbound number ${e164}`);
    this.steps.push({ kind: 'set', name: 'pbx_did', value: e164, export: true });
    this.resolve(did.destination, 0, undefined);
  }

  private routeTenant(dialed: string): void {
    const synthetic = parseSynthetic(dialed);
    if (synthetic) {
      if (synthetic.kind === 'blocked') {
        const reason = synthetic.reason === 'CONCURRENT_LIMIT' ? 'CONCURRENT_LIMIT' : null;
        if (reason) {
          this.note('the tenant is at its concurrent outbound call limit');
          this.block(reason, 'NORMAL_CIRCUIT_CONGESTION');
        } else this.unallocated();
        return;
      }
      if (synthetic.kind === 'after-ext') {
        const ext = this.ix.extByNumber.get(synthetic.number);
        if (!ext) return this.unallocated();
        if (effectiveRecording(this.s, ext) === 'ALWAYS') this.inheritedRecording = true;
        return this.afterRing(ext, synthetic.disposition, 0);
      }
      const rg = this.ix.rgById.get(synthetic.id);
      if (!rg) return this.unallocated();
      if (this.s.tenant.recordingPolicy === 'ALWAYS') this.inheritedRecording = true;
      this.note(`nobody in ring group ${rg.name} answered (${synthetic.disposition || 'unknown'})`);
      return this.resolve(rg.fallback, 1, undefined);
    }
    if (dialed.startsWith('*') && this.routeFeature(dialed)) return;
    const ext = this.ix.extByNumber.get(dialed);
    if (ext) return this.routeExtension(ext, 0);
    const rg = this.ix.rgByNumber.get(dialed);
    if (rg) return this.routeRingGroup(rg, 0);
    const ivr = this.ix.ivrByNumber.get(dialed);
    if (ivr) return this.resolve({ type: 'IVR_MENU', value: ivr.id }, 0, undefined);
    if (looksExternal(dialed)) return this.routeOutbound(dialed, this.callerExt, 0);
    this.note(`${dialed} is not a number of ${this.s.tenant.domain}`);
    this.unallocated();
  }

  /** Returns false when the star code is not a feature code (then normal routing applies). */
  private routeFeature(dialed: string): boolean {
    const me = this.callerExt;
    const noCaller = (): true => {
      this.note('feature codes need a calling extension');
      this.unallocated();
      return true;
    };
    switch (dialed) {
      case FEATURE_CODES.checkOwnVoicemail: {
        if (!me) return noCaller();
        const box = me.voicemailBoxId ? this.ix.boxById.get(me.voicemailBoxId) : undefined;
        if (!box) {
          this.note(`extension ${me.number} has no voicemail box`);
          this.unallocated();
          return true;
        }
        this.steps.push({ kind: 'answer' });
        this.steps.push({ kind: 'voicemail', mode: 'check', boxId: box.id, boxNumber: box.number });
        return true;
      }
      case FEATURE_CODES.checkAnyVoicemail:
        this.steps.push({ kind: 'answer' });
        this.steps.push({ kind: 'voicemail', mode: 'check_any', boxId: null, boxNumber: null });
        return true;
      case FEATURE_CODES.dndOn:
      case FEATURE_CODES.dndOff: {
        if (!me) return noCaller();
        const value = dialed === FEATURE_CODES.dndOn;
        this.note(`do-not-disturb ${value ? 'on' : 'off'} for ${me.number}`);
        this.steps.push({
          kind: 'feature',
          feature: { type: 'set_dnd', extensionId: me.id, value },
          confirm: value ? 'on' : 'off',
        });
        return true;
      }
      case FEATURE_CODES.forwardAlwaysClear:
        if (!me) return noCaller();
        this.note(`call forwarding cleared for ${me.number}`);
        this.steps.push({
          kind: 'feature',
          feature: { type: 'set_forward_always', extensionId: me.id, destination: null },
          confirm: 'off',
        });
        return true;
    }
    if (dialed.startsWith(FEATURE_CODES.forwardAlwaysSet) && dialed.length > 3) {
      if (!me) return noCaller();
      const target = dialed.slice(3);
      const ext = this.ix.extByNumber.get(target);
      let destination: StoredDestination | null = null;
      if (ext && ext.id !== me.id) destination = { type: 'EXTENSION', value: ext.id };
      else if (!ext) {
        const n = classifyNumber(target, this.s.tenant.defaultCallerIdNumber);
        if (n && n.class !== 'EMERGENCY') {
          const blocked = this.outboundBlock(n, me);
          if (blocked) {
            this.note(`forwarding to ${n.e164} is not allowed`);
            this.block(blocked, 'OUTGOING_CALL_BARRED');
            return true;
          }
          destination = { type: 'EXTERNAL', value: n.e164 };
        }
      }
      if (!destination) {
        this.note(`${target} is not a valid forwarding target`);
        this.unallocated();
        return true;
      }
      this.note(`calls to ${me.number} now forward to ${target}`);
      this.steps.push({
        kind: 'feature',
        feature: { type: 'set_forward_always', extensionId: me.id, destination },
        confirm: 'on',
      });
      return true;
    }
    const target = dialed.slice(1);
    const ext = this.ix.extByNumber.get(target);
    const box = ext?.voicemailBoxId
      ? this.ix.boxById.get(ext.voicemailBoxId)
      : this.ix.boxByNumber.get(target);
    if (!/^\d{1,8}$/.test(target) || !box) return false;
    this.note(`straight to voicemail box ${box.number}`);
    this.steps.push({ kind: 'answer' });
    this.steps.push({ kind: 'voicemail', mode: 'leave', boxId: box.id, boxNumber: box.number });
    return true;
  }

  private resolve(
    dest: StoredDestination | null,
    depth: number,
    principal: ExtensionSnapshot | undefined,
  ): void {
    if (depth > MAX_DEPTH) {
      this.note('routing loop: too many hops');
      this.block('ROUTE_LOOP', 'CALL_REJECTED');
      return;
    }
    if (!dest) return this.unallocated();
    const value = dest.value ?? '';
    switch (dest.type) {
      case 'EXTENSION': {
        const ext = this.ix.extById.get(value);
        if (!ext) break;
        return this.routeExtension(ext, depth + 1);
      }
      case 'VOICEMAIL': {
        const box = this.ix.boxById.get(value);
        if (!box) break;
        this.steps.push({ kind: 'answer' });
        this.steps.push({ kind: 'voicemail', mode: 'leave', boxId: box.id, boxNumber: box.number });
        return;
      }
      case 'IVR_MENU': {
        const menu = this.ix.ivrById.get(value);
        if (!menu) break;
        this.note(`IVR menu ${menu.name}`);
        this.steps.push({ kind: 'answer' });
        this.steps.push({ kind: 'ivr', menuId: menu.id, menuName: menu.name });
        return;
      }
      case 'RING_GROUP': {
        const rg = this.ix.rgById.get(value);
        if (!rg) break;
        return this.routeRingGroup(rg, depth + 1);
      }
      case 'TIME_CONDITION': {
        const tc = this.ix.tcById.get(value);
        if (!tc) break;
        const verdict = evaluateTimeCondition(tc, this.input.now, this.s.tenant.timeZone);
        this.note(`time condition ${tc.name}: ${verdict.why} -> ${verdict.matched ? 'match' : 'no match'}`);
        return this.resolve(verdict.matched ? tc.match : tc.noMatch, depth + 1, principal);
      }
      case 'EXTERNAL':
        return this.routeOutbound(value, principal, depth + 1);
      case 'HANGUP':
        this.steps.push({ kind: 'hangup', cause: 'NORMAL_CLEARING' });
        return;
    }
    this.note(`destination ${dest.type} ${value} no longer exists`);
    this.unallocated();
  }

  private routeExtension(ext: ExtensionSnapshot, depth: number): void {
    if (!ext.enabled) {
      this.note(`extension ${ext.number} is disabled`);
      return this.unallocated();
    }
    if (ext.forwardAlways) {
      this.note(`extension ${ext.number} forwards all calls`);
      return this.resolve(ext.forwardAlways, depth + 1, ext);
    }
    if (ext.dnd) {
      this.note(`extension ${ext.number} is on do-not-disturb`);
      return this.afterRing(ext, 'USER_BUSY', depth + 1);
    }
    if (effectiveRecording(this.s, ext) === 'ALWAYS') this.record(`calls to ${ext.number} are recorded`);
    this.steps.push({
      kind: 'ring',
      strategy: 'SIMULTANEOUS',
      domain: this.s.tenant.domain,
      targets: [{ extensionId: ext.id, number: ext.number, timeoutSec: ext.ringTimeoutSec }],
      timeoutSec: ext.ringTimeoutSec,
      next: SYNTHETIC.afterExtension(ext.number),
    });
  }

  /** What happens when ringing an extension failed: busy or no answer. */
  private afterRing(ext: ExtensionSnapshot, disposition: string, depth: number): void {
    const busy = BUSY_DISPOSITIONS.has(disposition);
    const forward = busy ? ext.forwardBusy : ext.forwardNoAnswer;
    const what = busy ? 'busy' : 'no answer';
    if (forward) {
      this.note(`${ext.number}: ${what} (${disposition || 'unknown'}) -> forward`);
      return this.resolve(forward, depth + 1, ext);
    }
    const box =
      ext.voicemailEnabled && ext.voicemailBoxId ? this.ix.boxById.get(ext.voicemailBoxId) : undefined;
    if (box) {
      this.note(`${ext.number}: ${what} (${disposition || 'unknown'}) -> voicemail`);
      this.steps.push({ kind: 'answer' });
      this.steps.push({
        kind: 'voicemail',
        mode: 'leave',
        boxId: box.id,
        boxNumber: box.number,
        reason: busy ? 'busy' : 'unavailable',
      });
      return;
    }
    this.note(`${ext.number}: ${what} (${disposition || 'unknown'}), no voicemail`);
    this.steps.push({ kind: 'hangup', cause: busy ? 'USER_BUSY' : 'NO_ANSWER' });
  }

  private routeRingGroup(rg: RingGroupSnapshot, depth: number): void {
    const targets = rg.members.flatMap((m) => {
      const ext = this.ix.extById.get(m.extensionId);
      if (!ext?.enabled || ext.dnd) {
        if (ext)
          this.note(
            `ring group ${rg.name}: skipping ${ext.number} (${ext.dnd ? 'do-not-disturb' : 'disabled'})`,
          );
        return [];
      }
      return [{ extensionId: ext.id, number: ext.number, timeoutSec: m.timeoutSec ?? rg.ringTimeoutSec }];
    });
    if (targets.length === 0) {
      this.note(`ring group ${rg.name} has nobody to ring`);
      return this.resolve(rg.fallback, depth + 1, undefined);
    }
    this.note(`ring group ${rg.name} (${rg.strategy.toLowerCase()})`);
    if (this.s.tenant.recordingPolicy === 'ALWAYS') this.record('the tenant records all calls');
    this.steps.push({
      kind: 'ring',
      strategy: rg.strategy,
      domain: this.s.tenant.domain,
      targets,
      timeoutSec:
        rg.strategy === 'SIMULTANEOUS'
          ? rg.ringTimeoutSec
          : targets.reduce((sum, t) => sum + t.timeoutSec, 0),
      next: SYNTHETIC.afterRingGroup(rg.id),
    });
  }

  private outboundBlock(
    n: NonNullable<ReturnType<typeof classifyNumber>>,
    principal: ExtensionSnapshot | undefined,
  ): BlockedReason | null {
    return outboundBlock(n, this.s.tenant, principal?.outboundPolicy);
  }

  private routeOutbound(dialed: string, principal: ExtensionSnapshot | undefined, depth: number): void {
    if (depth > MAX_DEPTH) return this.resolve(null, depth, principal);
    const t = this.s.tenant;
    const n = classifyNumber(dialed, t.defaultCallerIdNumber);
    if (!n) {
      this.note(`${dialed} cannot be dialed out (not a valid number for ${t.domain})`);
      return this.unallocated();
    }
    this.note(`external ${n.class.toLowerCase()}${n.premium ? ' premium' : ''} number ${n.e164}`);
    const blocked = this.outboundBlock(n, principal);
    if (blocked) return this.block(blocked, 'OUTGOING_CALL_BARRED');
    const gw = this.s.gateway;
    if (!gw?.enabled) return this.block('NO_GATEWAY', 'NETWORK_OUT_OF_ORDER');
    if (n.class !== 'EMERGENCY' && t.maxConcurrentOutbound <= 0)
      return this.block('CONCURRENT_LIMIT', 'NORMAL_CIRCUIT_CONGESTION');
    const cid = outboundCallerId(this.s, principal);
    // An emergency call is never refused for want of a caller ID; the extension number is better than nothing.
    if (!cid.number && n.class === 'EMERGENCY') cid.number = principal?.number ?? '0';
    if (!cid.number) return this.block('NO_CALLER_ID', 'OUTGOING_CALL_BARRED');
    if (effectiveRecording(this.s, principal) === 'ALWAYS')
      this.record('outbound call of a recorded extension');
    this.steps.push({
      kind: 'outbound',
      tenantId: t.id,
      domain: t.domain,
      gateway: gw.fsName,
      dial: `${gw.prefix}${n.e164}`,
      e164: n.e164,
      callerIdNumber: cid.number,
      callerIdName: cid.name,
      maxConcurrent: n.class === 'EMERGENCY' ? 0 : t.maxConcurrentOutbound,
    });
  }
}
