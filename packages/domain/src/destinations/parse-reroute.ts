import { DestinationSchema, type Destination } from '@pbx/contracts';
import { AppError } from '../errors.js';

/** `?reroute_type=EXTENSION&reroute_value=<id>` → a Destination (or undefined when absent). */
export function parseReroute(type: string | undefined, value: string | undefined): Destination | undefined {
  if (type === undefined) {
    if (value !== undefined)
      throw new AppError('VALIDATION_FAILED', 'reroute_value needs reroute_type', { field: 'reroute_type' });
    return undefined;
  }
  const parsed = DestinationSchema.safeParse(
    type === 'HANGUP' && value === undefined ? { type } : { type, value },
  );
  if (!parsed.success) {
    throw new AppError(
      'VALIDATION_FAILED',
      parsed.error.issues[0]?.message ?? 'invalid reroute destination',
      {
        field: 'reroute_value',
      },
    );
  }
  return parsed.data;
}
