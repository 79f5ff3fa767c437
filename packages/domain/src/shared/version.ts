import { AppError } from '../errors.js';

/**
 * Entity version used as the HTTP ETag: changes whenever the row's updatedAt
 * does (every Prisma update bumps it, also when only children changed).
 */
export function versionOf(row: { id: string; updatedAt: Date }): string {
  return `"${row.updatedAt.getTime().toString(36)}-${row.id.slice(0, 8)}"`;
}

/** Throws PRECONDITION_FAILED when the client's If-Match does not name the current version. */
export function assertVersion(row: { id: string; updatedAt: Date }, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return;
  const wanted = ifMatch.split(',').map((t) => t.trim());
  if (wanted.includes('*') || wanted.includes(versionOf(row))) return;
  throw new AppError(
    'PRECONDITION_FAILED',
    'the resource was changed since you read it (If-Match does not match its ETag)',
  );
}
