import type { Destination, UpdateExtension } from '@pbx/contracts';
import type { Extension } from '@pbx/db';
import type { Tx } from '../context.js';
import { AppError } from '../errors.js';
import { toOptionalDestination } from '../destinations/columns.js';
import { classifyNumber, homeOf } from '../routing/numbers.js';
import { outboundBlock, type OutboundBlockReason } from '../routing/outbound-block.js';

const FORWARDS = ['forwardAlways', 'forwardBusy', 'forwardNoAnswer'] as const;

const WHY: Record<OutboundBlockReason, string> = {
  INTERNATIONAL_BLOCKED: 'this tenant may not call international numbers',
  PREMIUM_BLOCKED: 'this tenant may not call premium-rate numbers',
  POLICY_BLOCKED: "the extension's outbound policy does not cover it",
};

/**
 * A forward to an external number the routing would refuse (tenant rules or the extension's outbound policy) is
 * refused when it is written: otherwise every call to the extension would be dropped. Checked on the state after the
 * write, and only when the write touches a forward or the policy, so an unrelated edit never fails on old data.
 */
export async function checkForwardPolicy(
  tx: Tx,
  tenantId: string,
  input: UpdateExtension,
  before: Extension | null,
): Promise<void> {
  if (input.outboundPolicy === undefined && FORWARDS.every((f) => input[f] === undefined)) return;
  const policy = input.outboundPolicy ?? before?.outboundPolicy ?? 'NATIONAL';
  let tenant: {
    allowInternational: boolean;
    allowPremium: boolean;
    defaultCallerIdNumber: string | null;
    country: string | null;
  } | null = null;
  for (const field of FORWARDS) {
    const target: Destination | null | undefined =
      input[field] !== undefined ? input[field] : before && stored(before, field);
    if (target?.type !== 'EXTERNAL') continue;
    tenant ??= await tx.tenant.findUniqueOrThrow({
      where: { id: tenantId },
      select: { allowInternational: true, allowPremium: true, defaultCallerIdNumber: true, country: true },
    });
    // Always classified: an EXTERNAL destination is E.164 by its schema.
    const n = classifyNumber(target.value, homeOf(tenant));
    const blocked = n && outboundBlock(n, tenant, policy);
    if (!blocked) continue;
    // The field the caller can fix: the forward they sent, or the policy that no longer covers an existing one.
    const blame = input[field] !== undefined ? `${field}.value` : 'outboundPolicy';
    const why = blocked === 'POLICY_BLOCKED' ? `${WHY.POLICY_BLOCKED} (${policy})` : WHY[blocked];
    throw new AppError(
      'VALIDATION_FAILED',
      `calls cannot be forwarded to ${target.value} (${field}): ${why}`,
      { field: blame, details: { reason: blocked, forward: field } },
    );
  }
}

function stored(ext: Extension, field: (typeof FORWARDS)[number]): Destination | null {
  if (field === 'forwardAlways') return toOptionalDestination(ext.forwardAlwaysType, ext.forwardAlwaysValue);
  if (field === 'forwardBusy') return toOptionalDestination(ext.forwardBusyType, ext.forwardBusyValue);
  return toOptionalDestination(ext.forwardNoAnswerType, ext.forwardNoAnswerValue);
}
