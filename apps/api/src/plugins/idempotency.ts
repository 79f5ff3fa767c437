import { Prisma } from '@pbx/db';
import { AppError, maskSecrets, sha256 } from '@pbx/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../http/types.js';

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY = /^[\w.:-]{1,200}$/;
/** Status of a claimed key whose request is still running. */
const IN_PROGRESS = 0;
/** A claim older than this belongs to a request that died with its process. */
const ABANDONED_AFTER_MS = 60_000;

type Claim = { id: string };
const claims = new WeakMap<FastifyRequest, Claim>();

/**
 * `Idempotency-Key` on writes. The key is claimed (per sender) before the
 * write runs, so concurrent duplicates get 409 instead of running twice; the
 * first answer (below 500, not 429) is stored and a retry with the same
 * request gets it again (header `Idempotent-Replayed: true`); a different
 * request under the same key gets 422 IDEMPOTENCY_MISMATCH. One-time secrets
 * (SIP passwords, API keys) are never stored, so the replay of such a create
 * omits them (reset the password or create a new key if the first answer was lost).
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
    const where = { principal_key: { principal, key } };

    for (let attempt = 0; attempt < 2; attempt++) {
      const claimed = await svc.db.idempotencyRecord.createManyAndReturn({
        data: [{ principal, key, requestHash, responseStatus: IN_PROGRESS, responseBody: Prisma.DbNull }],
        skipDuplicates: true,
      });
      const mine = claimed[0];
      if (mine) {
        claims.set(req, { id: mine.id });
        return;
      }
      const stored = await svc.db.idempotencyRecord.findUnique({ where });
      if (!stored) continue; // released between our insert and read: claim again
      if (stored.requestHash !== requestHash) {
        throw new AppError('IDEMPOTENCY_MISMATCH', 'this Idempotency-Key was used for a different request', {
          field: 'Idempotency-Key',
        });
      }
      if (stored.responseStatus !== IN_PROGRESS)
        return replay(reply, stored.responseStatus, stored.responseBody);
      if (Date.now() - stored.createdAt.getTime() < ABANDONED_AFTER_MS) {
        throw new AppError(
          'CONFLICT',
          'a request with this Idempotency-Key is still in progress; retry later',
          {
            field: 'Idempotency-Key',
          },
        );
      }
      await svc.db.idempotencyRecord.deleteMany({ where: { id: stored.id, responseStatus: IN_PROGRESS } });
    }
    throw new AppError('CONFLICT', 'could not claim this Idempotency-Key; retry', {
      field: 'Idempotency-Key',
    });
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const claim = claims.get(req);
    if (!claim) return payload;
    claims.delete(req);
    const status = reply.statusCode;
    // Failures that a retry may cure release the key.
    if (status >= 500 || status === 429) {
      await svc.db.idempotencyRecord.deleteMany({ where: { id: claim.id } });
      return payload;
    }
    let body: unknown = null;
    if (typeof payload === 'string' && payload.length > 0) {
      try {
        body = JSON.parse(payload);
      } catch {
        body = null;
      }
    }
    await svc.db.idempotencyRecord.update({
      where: { id: claim.id },
      data: { responseStatus: status, responseBody: maskSecrets(body) ?? Prisma.DbNull },
    });
    return payload;
  });
}

function replay(reply: FastifyReply, status: number, body: Prisma.JsonValue) {
  reply.code(status).header('idempotent-replayed', 'true');
  if (body === null || status === 204) return reply.send();
  const type = status >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8';
  return reply.type(type).send(JSON.stringify(body));
}
