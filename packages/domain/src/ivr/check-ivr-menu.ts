import type { UpdateIvrMenu } from '@pbx/contracts';
import type { Tx } from '../context.js';
import { AppError } from '../errors.js';
import { assertDestinations } from '../destinations/assert-destination.js';
import { assertNumberFree } from '../shared/assert-number-free.js';

/** Loops between menus are fine (callers can always time out or fail out), dangling targets are not. */
export async function checkIvrMenu(
  tx: Tx,
  tenantId: string,
  input: UpdateIvrMenu,
  selfId?: string,
): Promise<void> {
  if (input.number) await assertNumberFree(tx, tenantId, input.number, selfId);
  const seen = new Set<string>();
  input.options?.forEach((o, i) => {
    if (seen.has(o.digits)) {
      throw new AppError('VALIDATION_FAILED', `digits ${o.digits} are used by two options`, {
        field: `options.${i}.digits`,
      });
    }
    seen.add(o.digits);
  });
  await assertDestinations(tx, tenantId, [
    ['timeoutDestination', input.timeoutDestination],
    ['invalidDestination', input.invalidDestination],
    ...(input.options ?? []).map(
      (o, i) => [`options.${i}.destination`, o.destination] as [string, typeof o.destination],
    ),
  ]);
}
