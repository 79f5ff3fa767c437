// Star codes dialed from an extension: voicemail access, do-not-disturb, call forwarding, straight to voicemail.
import { FEATURE_CODES } from './features.js';
import { classifyNumber, homeOf } from './numbers.js';
import { outboundBlock } from './outbound-block.js';
import type { RouteSteps } from './route-steps.js';
import type { Index } from './snapshot-index.js';
import type { ExtensionSnapshot, StoredDestination, TenantSnapshot } from './types.js';

export type FeatureRouting = {
  steps: RouteSteps;
  ix: Index;
  snapshot: TenantSnapshot;
  /** The calling extension; feature codes other than *98 need one. */
  caller: ExtensionSnapshot | undefined;
};

/** Returns false when the star code is not a feature code (then normal routing applies). */
export function routeFeatureCode(r: FeatureRouting, dialed: string): boolean {
  const { steps, ix, snapshot } = r;
  const me = r.caller;
  const noCaller = (): true => {
    steps.note('feature codes need a calling extension');
    steps.unallocated();
    return true;
  };
  switch (dialed) {
    case FEATURE_CODES.checkOwnVoicemail: {
      if (!me) return noCaller();
      const box = me.voicemailBoxId ? ix.boxById.get(me.voicemailBoxId) : undefined;
      if (!box) {
        steps.note(`extension ${me.number} has no voicemail box`);
        steps.unallocated();
        return true;
      }
      steps.push({ kind: 'answer' });
      steps.push({ kind: 'voicemail', mode: 'check', boxId: box.id, boxNumber: box.number });
      return true;
    }
    case FEATURE_CODES.checkAnyVoicemail:
      steps.push({ kind: 'answer' });
      steps.push({ kind: 'voicemail', mode: 'check_any', boxId: null, boxNumber: null });
      return true;
    case FEATURE_CODES.dndOn:
    case FEATURE_CODES.dndOff: {
      if (!me) return noCaller();
      const value = dialed === FEATURE_CODES.dndOn;
      steps.note(`do-not-disturb ${value ? 'on' : 'off'} for ${me.number}`);
      steps.push({
        kind: 'feature',
        feature: { type: 'set_dnd', extensionId: me.id, value },
        confirm: value ? 'on' : 'off',
      });
      return true;
    }
    case FEATURE_CODES.forwardAlwaysClear:
      if (!me) return noCaller();
      steps.note(`call forwarding cleared for ${me.number}`);
      steps.push({
        kind: 'feature',
        feature: { type: 'set_forward_always', extensionId: me.id, destination: null },
        confirm: 'off',
      });
      return true;
  }
  if (dialed.startsWith(FEATURE_CODES.forwardAlwaysSet) && dialed.length > 3) {
    if (!me) return noCaller();
    const target = dialed.slice(3);
    const ext = ix.extByNumber.get(target);
    let destination: StoredDestination | null = null;
    if (ext && ext.id !== me.id) destination = { type: 'EXTENSION', value: ext.id };
    else if (!ext) {
      const n = classifyNumber(target, homeOf(snapshot.tenant));
      if (n && n.class !== 'EMERGENCY') {
        const blocked = outboundBlock(n, snapshot.tenant, me.outboundPolicy);
        if (blocked) {
          steps.note(`forwarding to ${n.e164} is not allowed`);
          steps.block(blocked, 'OUTGOING_CALL_BARRED');
          return true;
        }
        destination = { type: 'EXTERNAL', value: n.e164 };
      }
    }
    if (!destination) {
      steps.note(`${target} is not a valid forwarding target`);
      steps.unallocated();
      return true;
    }
    steps.note(`calls to ${me.number} now forward to ${target}`);
    steps.push({
      kind: 'feature',
      feature: { type: 'set_forward_always', extensionId: me.id, destination },
      confirm: 'on',
    });
    return true;
  }
  const target = dialed.slice(1);
  const ext = ix.extByNumber.get(target);
  const box = ext?.voicemailBoxId ? ix.boxById.get(ext.voicemailBoxId) : ix.boxByNumber.get(target);
  if (!/^\d{1,8}$/.test(target) || !box) return false;
  steps.note(`straight to voicemail box ${box.number}`);
  steps.push({ kind: 'answer' });
  steps.push({ kind: 'voicemail', mode: 'leave', boxId: box.id, boxNumber: box.number });
  return true;
}
