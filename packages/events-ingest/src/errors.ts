/**
 * A call leg whose tenant cannot be determined. Not stored: a CDR without a
 * tenant would be invisible to every admin. The HTTP CDR endpoint answers 4xx
 * so mod_json_cdr retries and finally keeps the file in its error-log dir
 * (nothing is lost; it can be re-posted once the tenant exists).
 */
export class UnknownTenantError extends Error {
  override readonly name = 'UnknownTenantError';
  constructor(
    readonly callUuid: string,
    readonly hints: readonly string[],
  ) {
    super(`cannot resolve the tenant of call ${callUuid} (tried: ${hints.join(', ') || 'nothing'})`);
  }
}

/** The input is not a usable CDR (no call UUID, no times...). The HTTP layer answers 400. */
export class InvalidCdrError extends Error {
  override readonly name = 'InvalidCdrError';
}
