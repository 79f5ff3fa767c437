import type { UpdateExtension } from '@pbx/contracts';
import type { Prisma } from '@pbx/db';
import { destinationColumns } from '../destinations/columns.js';
import { compact } from '../shared/compact.js';

type ScalarColumn = keyof typeof Prisma.ExtensionScalarFieldEnum;
/** Plain column values (no update operations), so the same mapping serves a create and an update. */
export type ExtensionColumns = Partial<Pick<Prisma.ExtensionUncheckedCreateInput, ScalarColumn>>;

/** Maps API fields to columns; `undefined` = not sent (left unchanged), `null` = cleared. */
export function extensionColumns(input: UpdateExtension): ExtensionColumns {
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
