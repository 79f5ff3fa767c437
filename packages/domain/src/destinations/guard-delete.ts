import type { Destination, DestinationType } from '@pbx/contracts';
import type { Tx } from '../context.js';
import { AppError } from '../errors.js';
import { assertDestination } from './assert-destination.js';
import { destinationColumns } from './columns.js';
import { findReferrers } from './find-referrers.js';

type Target = { type: Exclude<DestinationType, 'EXTERNAL' | 'HANGUP'>; id: string };

/**
 * Run before deleting a routable object. Without `reroute` a delete that would
 * leave routes pointing at nothing fails with REFERENCED listing the referrers;
 * with it, every route is re-pointed at the replacement (ring group
 * memberships of a deleted extension are dropped, extensions using a deleted
 * mailbox lose their mailbox). Returns the referrers that were changed.
 */
export async function guardDelete(
  tx: Tx,
  tenantId: string,
  target: Target,
  reroute: Destination | undefined,
) {
  const referrers = await findReferrers(tx, tenantId, target);
  if (referrers.length === 0) return referrers;
  if (!reroute) {
    throw new AppError(
      'REFERENCED',
      `still used by ${referrers.length} other object(s); re-point them or pass reroute_type/reroute_value`,
      {
        details: { referrers },
      },
    );
  }
  if (reroute.type === target.type && 'value' in reroute && reroute.value === target.id) {
    throw new AppError('VALIDATION_FAILED', 'cannot re-route to the object being deleted', {
      field: 'reroute_value',
    });
  }
  await assertDestination(tx, tenantId, reroute, 'reroute');
  const { type, value } = destinationColumns(reroute);
  const hit = { type: target.type, value: target.id };

  await tx.ivrOption.updateMany({
    where: { tenantId, destType: hit.type, destValue: hit.value },
    data: { destType: type, destValue: value },
  });
  await tx.ivrMenu.updateMany({
    where: { tenantId, timeoutDestType: hit.type, timeoutDestValue: hit.value },
    data: { timeoutDestType: type, timeoutDestValue: value },
  });
  await tx.ivrMenu.updateMany({
    where: { tenantId, invalidDestType: hit.type, invalidDestValue: hit.value },
    data: { invalidDestType: type, invalidDestValue: value },
  });
  await tx.ringGroup.updateMany({
    where: { tenantId, fallbackDestType: hit.type, fallbackDestValue: hit.value },
    data: { fallbackDestType: type, fallbackDestValue: value },
  });
  await tx.voicemailBox.updateMany({
    where: { tenantId, fallbackDestType: hit.type, fallbackDestValue: hit.value },
    data: { fallbackDestType: type, fallbackDestValue: value },
  });
  await tx.inboundNumber.updateMany({
    where: { tenantId, destType: hit.type, destValue: hit.value },
    data: { destType: type, destValue: value },
  });
  await tx.timeCondition.updateMany({
    where: { tenantId, matchDestType: hit.type, matchDestValue: hit.value },
    data: { matchDestType: type, matchDestValue: value },
  });
  await tx.timeCondition.updateMany({
    where: { tenantId, noMatchDestType: hit.type, noMatchDestValue: hit.value },
    data: { noMatchDestType: type, noMatchDestValue: value },
  });
  await tx.extension.updateMany({
    where: { tenantId, forwardAlwaysType: hit.type, forwardAlwaysValue: hit.value },
    data: { forwardAlwaysType: type, forwardAlwaysValue: value },
  });
  await tx.extension.updateMany({
    where: { tenantId, forwardBusyType: hit.type, forwardBusyValue: hit.value },
    data: { forwardBusyType: type, forwardBusyValue: value },
  });
  await tx.extension.updateMany({
    where: { tenantId, forwardNoAnswerType: hit.type, forwardNoAnswerValue: hit.value },
    data: { forwardNoAnswerType: type, forwardNoAnswerValue: value },
  });
  if (target.type === 'EXTENSION')
    await tx.ringGroupMember.deleteMany({ where: { tenantId, extensionId: target.id } });
  if (target.type === 'VOICEMAIL')
    await tx.extension.updateMany({
      where: { tenantId, voicemailBoxId: target.id },
      data: { voicemailBoxId: null },
    });
  return referrers;
}
