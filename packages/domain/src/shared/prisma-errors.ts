import { Prisma } from '@pbx/db';
import { AppError } from '../errors.js';

/**
 * Turns the database's own guards (unique, foreign key) into AppErrors, as a
 * safety net behind the explicit checks done by the operations: a race between
 * two requests must still end in a 409, never a 500.
 */
export function mapPrismaError(error: unknown): unknown {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return error;
  const field = targetField(error.meta);
  switch (error.code) {
    case 'P2002':
      return new AppError('CONFLICT', field ? `${field} is already taken` : 'a conflicting object exists', {
        ...(field ? { field } : {}),
        cause: error,
      });
    case 'P2003':
    case 'P2014':
      return new AppError('REFERENCED', 'the object is still referenced by other objects', { cause: error });
    case 'P2025':
      return new AppError('NOT_FOUND', 'object not found', { cause: error });
    default:
      return error;
  }
}

function targetField(meta: Record<string, unknown> | undefined): string | undefined {
  const target = meta?.target;
  const fields = Array.isArray(target) ? (target as unknown[]).map(String) : [];
  const adapterFields = (
    meta?.driverAdapterError as { cause?: { constraint?: { fields?: unknown[] } } } | undefined
  )?.cause?.constraint?.fields;
  const all = (fields.length > 0 ? fields : (adapterFields ?? []).map(String)).map((f) =>
    f.replace(/"/g, ''),
  );
  return all.filter((f) => f !== 'tenantId').pop();
}
