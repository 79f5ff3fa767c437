import { ProblemSchema, Uuid } from '@pbx/contracts';
import { z } from 'zod';

/** Every route documents its error shape next to its success shape. */
export const withErrors = <T extends Record<number, unknown>>(responses: T) => ({
  ...responses,
  '4xx': ProblemSchema,
  '5xx': ProblemSchema,
});

export const TenantParams = z.object({ tenantId: Uuid });
export const NoContent = z.undefined().describe('No content');

/** Documented request headers; loose so no other header is dropped. */
export const WriteHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .max(200)
    .optional()
    .describe('Retry-safe writes: the same key and request replay the first answer'),
});
export const UpdateHeaders = WriteHeaders.extend({
  'if-match': z
    .string()
    .max(200)
    .optional()
    .describe('ETag from a GET: the update fails with 412 if the resource changed since'),
});
