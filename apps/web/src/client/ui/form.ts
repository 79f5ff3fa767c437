import { useState } from 'react';
import type { z } from 'zod';
import { ApiError, errorText, plainWords } from '../api.js';

/**
 * Checks values with the same zod contract the API uses before sending, and shows the API's own field errors
 * (problem+json `errors`/`field`) next to the fields they name; anything not tied to a field is `general`.
 */
export function useFieldErrors() {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  return {
    fields,
    general,
    /** The message for a field, for Mantine's `error` prop. */
    of: (name: string): string | undefined => fields[name],
    clear: () => {
      setFields({});
      setGeneral(null);
    },
    /** Parses with the contract; on failure shows the issues and returns null. */
    check<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> | null {
      const parsed = schema.safeParse(value);
      if (parsed.success) {
        setFields({});
        setGeneral(null);
        return parsed.data;
      }
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues)
        next[issue.path.join('.') || 'form'] ??= plainWords(issue.message);
      setFields(next);
      setGeneral(next.form ?? null);
      return null;
    },
    /** Shows an error from the API: by field where it names one the form has, else as a general message. */
    show(error: unknown, known: readonly string[]) {
      if (error instanceof ApiError) {
        const mine = Object.fromEntries(Object.entries(error.fields).filter(([k]) => known.includes(k)));
        setFields(mine);
        setGeneral(Object.keys(mine).length > 0 ? null : error.message);
        return;
      }
      setFields({});
      setGeneral(errorText(error));
    },
  };
}
