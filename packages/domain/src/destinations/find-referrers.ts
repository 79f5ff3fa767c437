import type { DestinationType } from '@pbx/contracts';
import type { Tx } from '../context.js';

export type Referrer = { entityType: string; id: string; name: string; field: string };

type Target = { type: Exclude<DestinationType, 'EXTERNAL' | 'HANGUP'>; id: string };

/**
 * Everything in the tenant that routes calls to `target` (and, for an
 * extension, the ring groups it is a member of; for a mailbox, the extensions
 * using it). The target's own self-references are not listed.
 */
export async function findReferrers(tx: Tx, tenantId: string, target: Target): Promise<Referrer[]> {
  const to = (typeField: string, valueField: string) => ({
    [typeField]: target.type,
    [valueField]: target.id,
  });
  const out: Referrer[] = [];

  const options = await tx.ivrOption.findMany({
    where: { tenantId, destType: target.type, destValue: target.id },
    include: { menu: { select: { name: true } } },
  });
  for (const o of options) {
    if (target.type === 'IVR_MENU' && o.menuId === target.id) continue;
    out.push({ entityType: 'ivr-menu', id: o.menuId, name: o.menu.name, field: `options[${o.digits}]` });
  }
  for (const [t, v, field] of [
    ['timeoutDestType', 'timeoutDestValue', 'timeoutDestination'],
    ['invalidDestType', 'invalidDestValue', 'invalidDestination'],
  ] as const) {
    const menus = await tx.ivrMenu.findMany({
      where: { tenantId, ...to(t, v) },
      select: { id: true, name: true },
    });
    for (const m of menus)
      if (m.id !== target.id) out.push({ entityType: 'ivr-menu', id: m.id, name: m.name, field });
  }
  const groups = await tx.ringGroup.findMany({
    where: { tenantId, fallbackDestType: target.type, fallbackDestValue: target.id },
    select: { id: true, name: true },
  });
  for (const g of groups)
    if (g.id !== target.id) out.push({ entityType: 'ring-group', id: g.id, name: g.name, field: 'fallback' });
  const boxes = await tx.voicemailBox.findMany({
    where: { tenantId, fallbackDestType: target.type, fallbackDestValue: target.id },
    select: { id: true, number: true },
  });
  for (const b of boxes)
    if (b.id !== target.id)
      out.push({ entityType: 'voicemail-box', id: b.id, name: b.number, field: 'fallback' });

  const dids = await tx.inboundNumber.findMany({
    where: { tenantId, destType: target.type, destValue: target.id },
    select: { id: true, e164: true },
  });
  for (const d of dids)
    out.push({ entityType: 'inbound-number', id: d.id, name: d.e164, field: 'destination' });

  for (const [t, v, field] of [
    ['matchDestType', 'matchDestValue', 'match'],
    ['noMatchDestType', 'noMatchDestValue', 'noMatch'],
  ] as const) {
    const tcs = await tx.timeCondition.findMany({
      where: { tenantId, ...to(t, v) },
      select: { id: true, name: true },
    });
    for (const c of tcs)
      if (c.id !== target.id) out.push({ entityType: 'time-condition', id: c.id, name: c.name, field });
  }
  for (const [t, v, field] of [
    ['forwardAlwaysType', 'forwardAlwaysValue', 'forwardAlways'],
    ['forwardBusyType', 'forwardBusyValue', 'forwardBusy'],
    ['forwardNoAnswerType', 'forwardNoAnswerValue', 'forwardNoAnswer'],
  ] as const) {
    const exts = await tx.extension.findMany({
      where: { tenantId, ...to(t, v) },
      select: { id: true, number: true },
    });
    for (const e of exts)
      if (e.id !== target.id) out.push({ entityType: 'extension', id: e.id, name: e.number, field });
  }

  if (target.type === 'EXTENSION') {
    const slots = await tx.ringGroupMember.findMany({
      where: { tenantId, extensionId: target.id },
      include: { ringGroup: { select: { name: true } } },
    });
    for (const s of slots)
      out.push({ entityType: 'ring-group', id: s.ringGroupId, name: s.ringGroup.name, field: 'members' });
  }
  if (target.type === 'VOICEMAIL') {
    const exts = await tx.extension.findMany({
      where: { tenantId, voicemailBoxId: target.id },
      select: { id: true, number: true },
    });
    for (const e of exts)
      out.push({ entityType: 'extension', id: e.id, name: e.number, field: 'voicemailBoxId' });
  }
  return out;
}
