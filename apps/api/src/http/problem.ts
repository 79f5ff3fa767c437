import type { Problem } from '@pbx/contracts';
import { AppError, ERROR_STATUS, type ErrorCode, type FieldError } from '@pbx/domain';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

const TITLES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Validation failed',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  REFERENCED: 'Still referenced',
  LIMIT_REACHED: 'Limit reached',
  LAST_ADMIN: 'Last active admin',
  PRECONDITION_FAILED: 'Precondition failed',
  PAYLOAD_TOO_LARGE: 'Payload too large',
  ACCOUNT_LOCKED: 'Account locked',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  IDEMPOTENCY_MISMATCH: 'Idempotency key reused',
  RATE_LIMITED: 'Too many requests',
  INTERNAL: 'Internal error',
  UNAVAILABLE: 'Service unavailable',
};

function problem(code: ErrorCode, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `urn:pbx:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[code],
    status: ERROR_STATUS[code],
    detail,
    code,
    ...extra,
  };
}

/** Fastify's own 4xx errors (bad JSON, wrong media type, too large, ...) keep their status. */
const FASTIFY_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  406: 'VALIDATION_FAILED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** The single mapping from anything thrown to an RFC 9457 problem. 5xx details are never shown. */
export function toProblem(error: unknown): Problem {
  if (error instanceof AppError) {
    return problem(error.code, error.message, {
      ...(error.field ? { field: error.field } : {}),
      ...(error.errors ? { errors: error.errors } : {}),
      ...(error.details ? { details: error.details } : {}),
    });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'body';
    const errors: FieldError[] = error.validation.flatMap((v) => {
      const path = v.instancePath.split('/').filter(Boolean).join('.');
      const keys = (v.params as { keys?: unknown }).keys;
      if (v.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
        return keys.map((k) => ({
          field: path ? `${path}.${String(k)}` : String(k),
          message: 'unknown field',
        }));
      }
      return [{ field: path || where, message: v.message ?? 'invalid' }];
    });
    const first = errors[0];
    return problem(
      'VALIDATION_FAILED',
      `invalid ${where}: ${first ? `${first.field}: ${first.message}` : 'see errors'}`,
      {
        ...(first ? { field: first.field } : {}),
        errors,
      },
    );
  }
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = FASTIFY_CODES[status] ?? 'VALIDATION_FAILED';
    const message = error instanceof Error ? error.message : 'bad request';
    return { ...problem(code, message), status };
  }
  return problem('INTERNAL', 'an internal error occurred; it has been logged');
}
