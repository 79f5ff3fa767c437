import { basename } from 'node:path';
import type { GreetingKind } from '@pbx/contracts';
import type { GreetingKind as LayoutGreetingKind, MediaLayout } from '@pbx/media';
import { storageKeys } from '@pbx/storage';
import type { TenantContext, Tx } from '../context.js';
import { notFound } from '../errors.js';
import { assertBoxOwner } from '../voicemail/assert-box-owner.js';

/** Whose greeting: an IVR menu's (one) or a voicemail box's (one per kind). */
export type GreetingTarget =
  { type: 'ivr-menu'; menuId: string } | { type: 'voicemail-box'; boxId: string; kind: GreetingKind };

// The API's kinds (contracts) and the layout's (media) are one list; this does not compile if they differ.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type GreetingKindsAgree = Same<GreetingKind, LayoutGreetingKind> extends true ? true : never;

export const BOX_COLUMN = {
  unavailable: 'greetingUnavailableAt',
  busy: 'greetingBusyAt',
  name: 'greetingNameAt',
} as const satisfies Record<GreetingKind, string>;

/** Where the greeting's audio is: derived from tenant, owner and kind, never stored. */
export function greetingPath(layout: MediaLayout, tenantId: string, t: GreetingTarget): string {
  return t.type === 'ivr-menu'
    ? layout.ivrGreeting(tenantId, t.menuId)
    : layout.boxGreeting(tenantId, t.boxId, t.kind);
}

/** The greeting's durable copy in the storage: the same file name under the tenant's `greetings/` prefix. */
export function greetingKey(layout: MediaLayout, tenantId: string, t: GreetingTarget): string {
  return storageKeys.greeting(tenantId, basename(greetingPath(layout, tenantId, t)));
}

export type GreetingOwner = {
  entityType: 'ivr-menu' | 'voicemail-box';
  entityId: string;
  /** When the greeting was stored; null when there is none. */
  updatedAt: Date | null;
};

/**
 * The menu or box in the caller's tenant (a box only for an admin or its owner); any other is "not found",
 * so another tenant's ids reveal nothing.
 */
export async function loadGreetingOwner(
  tx: Tx,
  ctx: TenantContext,
  t: GreetingTarget,
): Promise<GreetingOwner> {
  if (t.type === 'ivr-menu') {
    const menu = await tx.ivrMenu.findFirst({
      where: { id: t.menuId, tenantId: ctx.tenantId },
      select: { greetingUpdatedAt: true },
    });
    if (!menu) throw notFound('IVR menu');
    return { entityType: 'ivr-menu', entityId: t.menuId, updatedAt: menu.greetingUpdatedAt };
  }
  await assertBoxOwner(tx, ctx, t.boxId);
  const box = await tx.voicemailBox.findFirst({ where: { id: t.boxId, tenantId: ctx.tenantId } });
  if (!box) throw notFound('voicemail box');
  return { entityType: 'voicemail-box', entityId: t.boxId, updatedAt: box[BOX_COLUMN[t.kind]] };
}

/** Records that the greeting now exists (a time) or not (null). */
export async function setGreetingTime(tx: Tx, ctx: TenantContext, t: GreetingTarget, at: Date | null) {
  if (t.type === 'ivr-menu') {
    await tx.ivrMenu.update({
      where: { id_tenantId: { id: t.menuId, tenantId: ctx.tenantId } },
      data: { greetingUpdatedAt: at },
    });
  } else {
    await tx.voicemailBox.update({
      where: { id_tenantId: { id: t.boxId, tenantId: ctx.tenantId } },
      data: { [BOX_COLUMN[t.kind]]: at },
    });
  }
}

export const describeTarget = (t: GreetingTarget) =>
  t.type === 'ivr-menu' ? { greeting: 'ivr' } : { greeting: t.kind };
