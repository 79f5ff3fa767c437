/**
 * The one error type of the domain. Transports map `code` to their own status
 * (the API: one Fastify error handler → application/problem+json).
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  REFERENCED: 409,
  LIMIT_REACHED: 409,
  /** The change would leave a tenant without an active admin. */
  LAST_ADMIN: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  /** Too many failed logins for this e-mail address; details.lockedUntil says until when. */
  ACCOUNT_LOCKED: 423,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_MISMATCH: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type FieldError = { field: string; message: string };

export type AppErrorOptions = {
  /** The offending request field, e.g. "number" or "options.2.destination". */
  field?: string;
  errors?: FieldError[];
  /** Extra machine-readable detail (e.g. the referrers blocking a delete). */
  details?: Record<string, unknown>;
  cause?: unknown;
};

export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly field: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.statusCode = ERROR_STATUS[code];
    this.field = options.field;
    this.errors = options.errors ?? (options.field ? [{ field: options.field, message }] : undefined);
    this.details = options.details;
  }
}

export const notFound = (what: string): AppError => new AppError('NOT_FOUND', `${what} not found`);

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
