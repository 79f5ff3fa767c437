import type { Prisma } from '@pbx/db';

// Column and field names that hold secrets or their hashes. They are dropped
// (not just blanked) from audit rows and stored idempotent responses.
const SECRET_KEY = /(?:hash|password|pin|secret|token)$|^key$|^sipPassword$|^passwordEnc$/i;

/** A JSON copy of `value` without secrets; Dates become ISO strings. */
export function maskSecrets(value: unknown): Prisma.InputJsonValue | null {
  if (value === null || value === undefined) return null;
  const json = JSON.stringify(value, (key, v: unknown) =>
    key !== '' && SECRET_KEY.test(key) ? undefined : v,
  );
  return JSON.parse(json) as Prisma.InputJsonValue;
}
