// What ringing leads to: an extension that did not answer (forward, voicemail or hang-up) and a ring group's
// members, strategy and fallback. Split from engine.ts, which passes its steps, index and resolve().
import { ringOutcome, SYNTHETIC } from './features.js';
import type { RouteSteps } from './route-steps.js';
import type { Index } from './snapshot-index.js';
import type {
  ExtensionSnapshot,
  RingFailure,
  RingGroupSnapshot,
  RingStep,
  StoredDestination,
  TenantSnapshot,
} from './types.js';

export type RingRouting = {
  steps: RouteSteps;
  ix: Index;
  snapshot: TenantSnapshot;
  /** The engine's resolve(): routes a destination at a depth, on behalf of an extension (forwarding) or none. */
  resolve: (dest: StoredDestination | null, depth: number, principal: ExtensionSnapshot | undefined) => void;
};

/** What happens when ringing an extension failed: busy or no answer. */
export function afterRing(r: RingRouting, ext: ExtensionSnapshot, disposition: string, depth: number): void {
  const busy = ringOutcome(disposition) === 'busy';
  const forward = busy ? ext.forwardBusy : ext.forwardNoAnswer;
  const what = busy ? 'busy' : 'no answer';
  if (forward) {
    r.steps.note(`${ext.number}: ${what} (${disposition || 'unknown'}) -> forward`);
    return r.resolve(forward, depth + 1, ext);
  }
  const box = boxOf(r.ix, ext);
  if (box) {
    r.steps.note(`${ext.number}: ${what} (${disposition || 'unknown'}) -> voicemail`);
    r.steps.push({ kind: 'answer' });
    r.steps.push({
      kind: 'voicemail',
      mode: 'leave',
      boxId: box.id,
      boxNumber: box.number,
      reason: busy ? 'busy' : 'unavailable',
    });
    return;
  }
  r.steps.note(`${ext.number}: ${what} (${disposition || 'unknown'}), no voicemail`);
  r.steps.push({ kind: 'hangup', cause: busy ? 'USER_BUSY' : 'NO_ANSWER' });
}

const boxOf = (ix: Index, ext: ExtensionSnapshot) =>
  ext.voicemailEnabled && ext.voicemailBoxId ? ix.boxById.get(ext.voicemailBoxId) : undefined;

/**
 * What afterRing() decides for an extension that forwards nowhere, as a RingStep.onFail: the same box or hang-up
 * whatever the ring's outcome, so it needs no second routing decision. With a forward, undefined: that takes one.
 */
function failureOf(ix: Index, ext: ExtensionSnapshot): RingFailure | undefined {
  if (ext.forwardBusy || ext.forwardNoAnswer) return undefined;
  const box = boxOf(ix, ext);
  return box ? { kind: 'voicemail', boxId: box.id, boxNumber: box.number } : { kind: 'hangup' };
}

/** Ringing one extension: the same step for every call of a snapshot (see Index.extRings). */
export function extensionRing(ix: Index, s: TenantSnapshot, ext: ExtensionSnapshot): RingStep {
  let step = ix.extRings.get(ext.id);
  if (!step) {
    const onFail = failureOf(ix, ext);
    step = {
      kind: 'ring',
      strategy: 'SIMULTANEOUS',
      domain: s.tenant.domain,
      targets: [{ extensionId: ext.id, number: ext.number, timeoutSec: ext.ringTimeoutSec }],
      timeoutSec: ext.ringTimeoutSec,
      next: SYNTHETIC.afterExtension(ext.number),
      ...(onFail && { onFail }),
    };
    ix.extRings.set(ext.id, step);
  }
  return step;
}

/** Whom a ring group rings and whom it skips (with why), worked out once per snapshot (see Index.groupRings). */
function groupRing(r: RingRouting, rg: RingGroupSnapshot): { skipped: string[]; step: RingStep | null } {
  let ring = r.ix.groupRings.get(rg.id);
  if (ring) return ring;
  const skipped: string[] = [];
  const targets = rg.members.flatMap((m) => {
    const ext = r.ix.extById.get(m.extensionId);
    if (!ext?.enabled || ext.dnd) {
      if (ext)
        skipped.push(
          `ring group ${rg.name}: skipping ${ext.number} (${ext.dnd ? 'do-not-disturb' : 'disabled'})`,
        );
      return [];
    }
    return [{ extensionId: ext.id, number: ext.number, timeoutSec: m.timeoutSec ?? rg.ringTimeoutSec }];
  });
  ring = {
    skipped,
    step:
      targets.length === 0
        ? null
        : {
            kind: 'ring',
            strategy: rg.strategy,
            domain: r.snapshot.tenant.domain,
            targets,
            timeoutSec:
              rg.strategy === 'SIMULTANEOUS'
                ? rg.ringTimeoutSec
                : targets.reduce((sum, t) => sum + t.timeoutSec, 0),
            next: SYNTHETIC.afterRingGroup(rg.id),
          },
  };
  r.ix.groupRings.set(rg.id, ring);
  return ring;
}

export function routeRingGroup(r: RingRouting, rg: RingGroupSnapshot, depth: number): void {
  const { skipped, step } = groupRing(r, rg);
  for (const note of skipped) r.steps.note(note);
  if (!step) {
    r.steps.note(`ring group ${rg.name} has nobody to ring`);
    return r.resolve(rg.fallback, depth + 1, undefined);
  }
  r.steps.note(`ring group ${rg.name} (${rg.strategy.toLowerCase()})`);
  if (r.snapshot.tenant.recordingPolicy === 'ALWAYS') r.steps.record('the tenant records all calls');
  r.steps.push(step);
}
