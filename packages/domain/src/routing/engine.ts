import { routeFeatureCode } from './feature-route.js';
import { isInternalDestination, parseSynthetic } from './features.js';
import { routeEmergency } from './emergency-route.js';
import { looksExternal } from './numbers.js';
import { routeOutbound } from './outbound-route.js';
import { afterRing, extensionRing, routeRingGroup, type RingRouting } from './ring-route.js';
import { RouteSteps } from './route-steps.js';
import { effectiveRecording, emergencyNumber, indexOf, type Index } from './snapshot-index.js';
import { evaluateTimeCondition } from './time.js';
import type {
  StoredDestination,
  ExtensionSnapshot,
  RingGroupSnapshot,
  RouteInput,
  RouteResult,
  TenantSnapshot,
} from './types.js';

const MAX_DEPTH = 10;

/**
 * Decides what happens to one call, step by step. Pure: the same snapshot,
 * caller, number and time always give the same steps.
 */
export function routeCall(input: RouteInput): RouteResult {
  return new Router(input).run();
}

class Router {
  private readonly steps: RouteSteps;
  private readonly ix: Index;
  private readonly s: TenantSnapshot;
  /** A continuation whose channel the first route already records (record_session survives the transfer). */
  private inheritedRecording = false;
  private callerExt: ExtensionSnapshot | undefined;
  /** Made on a route's first ring outcome: most calls have none, and this runs for every call. */
  private ringRouting: RingRouting | undefined;

  constructor(private readonly input: RouteInput) {
    this.s = input.snapshot;
    this.ix = indexOf(input.snapshot);
    this.steps = new RouteSteps(input.snapshot.tenant.id);
  }

  run(): RouteResult {
    this.decide();
    this.steps.keepVoicemailUnrecorded(this.inheritedRecording);
    const { tenant } = this.s;
    return {
      tenantId: tenant.id,
      domain: tenant.domain,
      steps: this.steps.withCdrVariables(
        this.input.context === 'public' || this.input.caller.kind !== 'extension',
        this.callerExt?.number,
      ),
    };
  }

  private decide(): void {
    const { tenant } = this.s;
    this.steps.push(this.ix.tenantStep);
    // A suspended tenant's phones can still reach the emergency services (issue #16), nothing else.
    const emergency = this.input.context === 'tenant' && emergencyNumber(this.ix, this.input.destination);
    if (tenant.status !== 'ACTIVE' && !emergency)
      return this.steps.block('TENANT_SUSPENDED', 'CALL_REJECTED');
    if (this.input.internal !== true && isInternalDestination(this.input.destination)) {
      this.steps.note(`${this.input.destination} is internal: only the platform's own transfers reach it`);
      return this.steps.unallocated();
    }
    if (this.input.context === 'public') return this.routePublic();
    const caller = this.input.caller;
    if (caller.kind === 'extension') {
      this.callerExt = this.ix.extByNumber.get(caller.number);
      if (!this.callerExt?.enabled) {
        this.steps.note(`caller ${caller.number} is not an enabled extension of ${tenant.domain}`);
        return this.steps.unallocated();
      }
      // A continuation (synthetic destination) runs on a channel that is already being recorded.
      const continuation = parseSynthetic(this.input.destination) !== null;
      if (effectiveRecording(this.s, this.callerExt) === 'ALWAYS') {
        if (continuation) this.inheritedRecording = true;
        else this.steps.record(`caller ${caller.number} is recorded`);
      }
    }
    this.routeTenant(this.input.destination, emergency);
  }

  private routePublic(): void {
    const raw = this.input.destination;
    const e164 = raw.startsWith('+') ? raw : `+${raw}`;
    const did = this.ix.didByE164.get(e164);
    if (!did?.enabled) {
      this.steps.note(`${e164} is not an active inbound number of ${this.s.tenant.domain}`);
      this.steps.unallocated();
      return;
    }
    this.steps.note(`inbound number ${e164}`);
    this.steps.push({ kind: 'set', name: 'pbx_did', value: e164, export: true });
    this.resolve(did.destination, 0, undefined);
  }

  /** `emergency`: whether `dialed` is an emergency number of the tenant's home (decide() asked already). */
  private routeTenant(dialed: string, emergency: boolean): void {
    const synthetic = parseSynthetic(dialed);
    if (synthetic) {
      if (synthetic.kind === 'go') {
        // decide() let it through only with the transfer token of the IVR that sent the call here.
        this.steps.note(`IVR destination ${synthetic.destination.type}`);
        return this.resolve(synthetic.destination, 1, undefined);
      }
      if (synthetic.kind === 'blocked') {
        const reason = synthetic.reason === 'CONCURRENT_LIMIT' ? 'CONCURRENT_LIMIT' : null;
        if (reason) {
          this.steps.note('the tenant is at its concurrent outbound call limit');
          this.steps.block(reason, 'NORMAL_CIRCUIT_CONGESTION');
        } else this.steps.unallocated();
        return;
      }
      if (synthetic.kind === 'after-ext') {
        const ext = this.ix.extByNumber.get(synthetic.number);
        if (!ext) return this.steps.unallocated();
        if (effectiveRecording(this.s, ext) === 'ALWAYS') this.inheritedRecording = true;
        return this.afterRing(ext, synthetic.disposition, 0);
      }
      const rg = this.ix.rgById.get(synthetic.id);
      if (!rg) return this.steps.unallocated();
      if (this.s.tenant.recordingPolicy === 'ALWAYS') this.inheritedRecording = true;
      this.steps.note(`nobody in ring group ${rg.name} answered (${synthetic.disposition || 'unknown'})`);
      return this.resolve(rg.fallback, 1, undefined);
    }
    // Emergency numbers are reserved: one dialed is an emergency call even if an extension (made before the
    // reservation) still has that number.
    if (emergency) return routeEmergency(this.steps, this.s, dialed, this.callerExt, this.ix.home);
    if (
      dialed.startsWith('*') &&
      routeFeatureCode({ steps: this.steps, ix: this.ix, snapshot: this.s, caller: this.callerExt }, dialed)
    )
      return;
    const ext = this.ix.extByNumber.get(dialed);
    if (ext) return this.routeExtension(ext, 0);
    const rg = this.ix.rgByNumber.get(dialed);
    if (rg) return this.routeRingGroup(rg, 0);
    const ivr = this.ix.ivrByNumber.get(dialed);
    if (ivr) return this.resolve({ type: 'IVR_MENU', value: ivr.id }, 0, undefined);
    if (looksExternal(dialed)) return this.routeOutbound(dialed, this.callerExt, 0);
    this.steps.note(`${dialed} is not a number of ${this.s.tenant.domain}`);
    this.steps.unallocated();
  }

  private resolve(
    dest: StoredDestination | null,
    depth: number,
    principal: ExtensionSnapshot | undefined,
  ): void {
    if (depth > MAX_DEPTH) {
      this.steps.note('routing loop: too many hops');
      this.steps.block('ROUTE_LOOP', 'CALL_REJECTED');
      return;
    }
    if (!dest) return this.steps.unallocated();
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
        // The ivr step names the menu (the explainer says "IVR menu <name>" from it): no note besides.
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
        this.steps.note(
          `time condition ${tc.name}: ${verdict.why} -> ${verdict.matched ? 'match' : 'no match'}`,
        );
        return this.resolve(verdict.matched ? tc.match : tc.noMatch, depth + 1, principal);
      }
      case 'EXTERNAL':
        return this.routeOutbound(value, principal, depth + 1);
      case 'HANGUP':
        this.steps.push({ kind: 'hangup', cause: 'NORMAL_CLEARING' });
        return;
    }
    this.steps.note(`destination ${dest.type} ${value} no longer exists`);
    this.steps.unallocated();
  }

  private routeExtension(ext: ExtensionSnapshot, depth: number): void {
    if (!ext.enabled) {
      this.steps.note(`extension ${ext.number} is disabled`);
      return this.steps.unallocated();
    }
    if (ext.forwardAlways) {
      this.steps.note(`extension ${ext.number} forwards all calls`);
      return this.resolve(ext.forwardAlways, depth + 1, ext);
    }
    if (ext.dnd) {
      this.steps.note(`extension ${ext.number} is on do-not-disturb`);
      return this.afterRing(ext, 'USER_BUSY', depth + 1);
    }
    if (effectiveRecording(this.s, ext) === 'ALWAYS')
      this.steps.record(`calls to ${ext.number} are recorded`);
    this.steps.push(extensionRing(this.ix, this.s, ext));
  }

  private get ring(): RingRouting {
    return (this.ringRouting ??= {
      steps: this.steps,
      ix: this.ix,
      snapshot: this.s,
      resolve: (dest, depth, principal) => this.resolve(dest, depth, principal),
    });
  }

  /** What happens when ringing an extension failed: busy or no answer. */
  private afterRing(ext: ExtensionSnapshot, disposition: string, depth: number): void {
    afterRing(this.ring, ext, disposition, depth);
  }

  private routeRingGroup(rg: RingGroupSnapshot, depth: number): void {
    routeRingGroup(this.ring, rg, depth);
  }

  private routeOutbound(dialed: string, principal: ExtensionSnapshot | undefined, depth: number): void {
    if (depth > MAX_DEPTH) return this.resolve(null, depth, principal);
    routeOutbound(this.steps, this.s, dialed, principal);
  }
}
