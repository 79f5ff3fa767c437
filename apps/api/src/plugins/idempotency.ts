import { Prisma } from '@pbx/db';
import { AppError, maskSecrets, sha256 } from '@pbx/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../http/types.js';

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY = /^[A-Za-z0-9_.:-]{1,200}$/;

type Pending = { principal: string; key: string; requestHash: string };
const pending = new WeakMap<FastifyRequest, Pending>();

/**
 * `Idempotency-Key` on writes: the first answer (below 500, not 429) is
 * stored per sender and key; a retry with the same request gets it again
 * (header `Idempotent-Replayed: true`), a different request under the same key
 * gets 422 IDEMPOTENCY_MISMATCH. One-time secrets (SIP passwords, API keys)
 * are never stored, so the replay of such a create omits them (reset the
 * password or create a new key if the first answer was lost).
 */
export function registerIdempotency(app: FastifyInstance, svc: Services): void {
  app.addHook('preHandler', async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (!WRITE.has(req.method) || key === undefined || !req.principal) return;
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 1-200 of A-Z a-z 0-9 _ . : -', {
        field: 'Idempotency-Key',
      });
    }
    const principal = req.principal.actor.apiKeyId ?? req.principal.actor.userId ?? 'anonymous';
    const requestHash = sha256(JSON.stringify([req.method, req.url, req.body ?? null]));
    const stored = await svc.db.idempotencyRecord.findUnique({
      where: { principal_key: { principal, key } },
    });
    if (stored) {
      if (stored.requestHash !== requestHash) {
        throw new AppError('IDEMPOTENCY_MISMATCH', 'this Idempotency-Key was used for a different request', {
          field: 'Idempotency-Key',
        });
      }
      reply.code(stored.responseStatus).header('idempotent-replayed', 'true');
      if (stored.responseBody === null || stored.responseStatus === 204) return reply.send();
      const type =
        stored.responseStatus >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8';
      return reply.type(type).send(JSON.stringify(stored.responseBody));
    }
    pending.set(req, { principal, key, requestHash });
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const p = pending.get(req);
    if (!p) return payload;
    pending.delete(req);
    const status = reply.statusCode;
    if (status >= 500 || status === 429) return payload;
    let body: unknown = null;
    if (typeof payload === 'string' && payload.length > 0) {
      try {
        body = JSON.parse(payload);
      } catch {
        return payload;
      }
    }
    await svc.db.idempotencyRecord.createMany({
      data: [{ ...p, responseStatus: status, responseBody: maskSecrets(body) ?? Prisma.DbNull }],
      skipDuplicates: true,
    });
    return payload;
  });
}
