import type { UpdateExtension } from '@pbx/contracts';
import type { Prisma } from '@pbx/db';
import { destinationColumns } from '../destinations/columns.js';
import { compact } from '../shared/compact.js';

/** Maps API fields to columns; `undefined` = not sent (left unchanged), `null` = cleared. */
export function extensionColumns(input: UpdateExtension): Prisma.ExtensionUncheckedUpdateInput {
  const { forwardAlways, forwardBusy, forwardNoAnswer, ...plain } = input;
  const fwd = (d: typeof forwardAlways) =>
    d === undefined
      ? { type: undefined, value: undefined }
      : d === null
        ? { type: null, value: null }
        : destinationColumns(d);
  const always = fwd(forwardAlways);
  const busy = fwd(forwardBusy);
  const noAnswer = fwd(forwardNoAnswer);
  return compact({
    ...plain,
    forwardAlwaysType: always.type,
    forwardAlwaysValue: always.value,
    forwardBusyType: busy.type,
    forwardBusyValue: busy.value,
    forwardNoAnswerType: noAnswer.type,
    forwardNoAnswerValue: noAnswer.value,
  });
}
