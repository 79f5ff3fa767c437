import { AppError } from '@pbx/domain';
import type { FastifyInstance } from 'fastify';

/**
 * No query parameter of this API is a list, but Fastify's parser makes `?limit=1&limit=2` an array, which the
 * route's schema would then report as "expected number, received NaN". Refuse it here, naming the parameter.
 */
export function registerSingleQuery(app: FastifyInstance): void {
  app.addHook('preValidation', (req, _reply, done) => {
    const query = req.query;
    const repeated =
      query && typeof query === 'object'
        ? Object.entries(query).find(([, value]) => Array.isArray(value))?.[0]
        : undefined;
    done(
      repeated === undefined
        ? undefined
        : new AppError('VALIDATION_FAILED', `query parameter ${repeated} is given more than once`, {
            field: repeated,
          }),
    );
  });
}
