import { AppError } from '@pbx/domain';
import type { FastifyInstance } from 'fastify';

// PostgreSQL text cannot hold NUL or unpaired UTF-16 surrogates; refuse them at
// the door (400) instead of failing deep inside a query (500).
const NUL = String.fromCharCode(0);
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (s: string) => s.includes(NUL) || UNPAIRED_SURROGATE.test(s);

function reviver(key: string, value: unknown): unknown {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
    throw new AppError('VALIDATION_FAILED', `field name ${key} is not allowed`, { field: key });
  }
  if (typeof value === 'string' && unstorable(value)) {
    throw new AppError('VALIDATION_FAILED', 'text must not contain NUL characters or unpaired surrogates', {
      field: key || 'body',
    });
  }
  return value;
}

/** The JSON body parser (replaces Fastify's) and the same rule for query strings. */
export function registerJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text, reviver));
    } catch (error) {
      done(
        error instanceof AppError
          ? error
          : new AppError('VALIDATION_FAILED', 'the body is not valid JSON', { field: 'body' }),
        undefined,
      );
    }
  });
  app.addHook('onRequest', (req, _reply, done) => {
    done(
      /%00/.test(req.url)
        ? new AppError('VALIDATION_FAILED', 'the URL must not contain NUL characters')
        : undefined,
    );
  });
}
