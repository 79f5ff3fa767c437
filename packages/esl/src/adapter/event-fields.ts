// The first step of typing an ESL event: its raw form, and a fast check-and-convert of its headers
// against a zod object schema of plain string/integer fields.
import { z } from 'zod';
import type { EventHeaders } from '../wire/headers.js';

export interface RawEslEvent {
  /** Event-Name, e.g. CHANNEL_CREATE or CUSTOM. */
  name: string;
  /** Event-Subclass for CUSTOM events. */
  subclass: string | undefined;
  headers: EventHeaders;
  body: string;
}

export const str = z.string();
export const optStr = z.string().optional();
const int = z
  .string()
  .regex(/^-?\d+$/)
  .transform((v) => Number(v));
export const optInt = int.optional();
const INT_RE = /^-?\d+$/;

type FieldKind = 'str' | 'optStr' | 'int' | 'optInt';
const KINDS = new Map<unknown, FieldKind>([
  [str, 'str'],
  [optStr, 'optStr'],
  [int, 'int'],
  [optInt, 'optInt'],
]);
const validators = new WeakMap<z.ZodObject, (headers: EventHeaders) => unknown>();

/**
 * schema.parse(headers) for the header schemas below, without zod's per-field machinery on the hot path:
 * every field is one of str/optStr/int/optInt, which a loop checks and converts directly. Anything the
 * loop does not accept goes to zod itself, so a malformed event fails with zod's own error, as before.
 */
export function parseHeaders<S extends z.ZodObject>(schema: S, headers: EventHeaders): z.output<S> {
  let run = validators.get(schema);
  if (!run) {
    const fields = Object.entries(schema.shape).map(([key, field]) => [key, KINDS.get(field)] as const);
    // Results are copies of a template that already has every key: an object filled by keyed stores
    // turns into a slow dictionary after ~16 properties, and every reader of these results pays for it.
    const template: Record<string, string | number | undefined> = Object.fromEntries(
      fields.map(([key]) => [key, undefined]),
    );
    run = fields.every(([, kind]) => kind !== undefined)
      ? (h) => {
          const out = { ...template };
          for (const [key, kind] of fields) {
            const v = h.get(key);
            if (v === undefined) {
              if (kind === 'str' || kind === 'int') return schema.parse(h.toRecord());
            } else if (kind === 'int' || kind === 'optInt') {
              if (!INT_RE.test(v)) return schema.parse(h.toRecord());
              out[key] = Number(v);
            } else out[key] = v;
          }
          return out;
        }
      : (h) => schema.parse(h.toRecord());
    validators.set(schema, run);
  }
  return run(headers) as z.output<S>;
}

export const common = {
  'Event-Sequence': optInt,
  'Event-Date-Timestamp': optInt,
  'Core-UUID': optStr,
};

export function commonOut(h: {
  'Event-Sequence'?: number | undefined;
  'Event-Date-Timestamp'?: number | undefined;
  'Core-UUID'?: string | undefined;
}) {
  return {
    sequence: h['Event-Sequence'],
    /** Event time in microseconds since the epoch. */
    timestampUs: h['Event-Date-Timestamp'],
    coreUuid: h['Core-UUID'],
  };
}
