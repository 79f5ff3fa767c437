import { AppError, authenticateApiKey, authenticateSession, notFound, requireScope } from '@pbx/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Access, Services } from '../http/types.js';

export const SESSION_COOKIE = 'pbx_session';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_SCOPED: ReadonlySet<Access> = new Set([
  'tenant-admin',
  'tenant-platform',
  'extension-owner',
  'voicemail-owner',
]);

/**
 * Authentication and authorization, in one place: every route declares
 * `config.access` (a route without one fails at start-up); these hooks
 * identify the caller (session cookie or bearer API key), resolve `:tenantId`
 * and enforce the rule before the body is even read. Objects of another tenant
 * answer 404, exactly like missing ones.
 */
export function registerAuth(app: FastifyInstance, svc: Services): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('tenant', null);
  app.decorateRequest('sessionToken', null);

  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access) return;
    if (route.url.startsWith('/v1/docs')) {
      route.config = { ...route.config, access: 'public' };
      return;
    }
    throw new Error(`route ${route.method.toString()} ${route.url} declares no config.access`);
  });

  // Identify first (the rate limiter keys on the caller), decide after it (preParsing).
  app.addHook('onRequest', async (req) => {
    try {
      req.principal = await identify(req, svc);
    } catch (error) {
      authErrors.set(req, error);
    }
  });

  app.addHook('preParsing', async (req, _reply, payload) => {
    await authorize(req, svc);
    return payload;
  });
}

const authErrors = new WeakMap<FastifyRequest, unknown>();

async function authorize(req: FastifyRequest, svc: Services): Promise<void> {
  if (authErrors.has(req)) throw authErrors.get(req);
  const access = req.routeOptions.config.access ?? 'public';
  if (access === 'public') return;
  const p = req.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'log in or send an API key (Authorization: Bearer pbx_...)');
  const { actor } = p;
  if (access === 'authenticated') return;
  // API keys also need the route's scope: its own, or READ for GET and WRITE for any other method.
  const { scope } = req.routeOptions.config;
  requireScope(actor, scope ?? (req.method === 'GET' || req.method === 'HEAD' ? 'READ' : 'WRITE'));
  if (access === 'platform' && actor.role !== 'PLATFORM_ADMIN') throw forbidden();
  if (access === 'admin' && actor.role === 'TENANT_USER') throw forbidden();
  if (!TENANT_SCOPED.has(access)) return;

  const params = req.params as Record<string, string | undefined>;
  const tenantId = params.tenantId ?? '';
  if (!UUID.test(tenantId)) throw notFound('tenant');
  if (actor.role !== 'PLATFORM_ADMIN' && actor.tenantId !== tenantId) throw notFound('tenant');
  const tenant = await svc.db.tenant.findUnique({
    where: { id: tenantId },
    select: { id: true, domain: true },
  });
  if (!tenant) throw notFound('tenant');
  req.tenant = tenant;

  if (access === 'tenant-platform' && actor.role !== 'PLATFORM_ADMIN') throw forbidden();
  if (access === 'tenant-admin' && actor.role === 'TENANT_USER') throw forbidden();
  if (actor.role !== 'TENANT_USER') return;
  if (access === 'extension-owner' && params.extensionId !== actor.extensionId) throw notFound('extension');
  if (access === 'voicemail-owner') {
    const boxId = params.boxId ?? '';
    const own =
      actor.extensionId !== null &&
      UUID.test(boxId) &&
      (await svc.db.extension.count({ where: { id: actor.extensionId, tenantId, voicemailBoxId: boxId } })) >
        0;
    if (!own) throw notFound('voicemail box');
  }
}

const forbidden = () => new AppError('FORBIDDEN', 'your role may not do this');

async function identify(req: FastifyRequest, svc: Services) {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer (pbx_[\w-]{8,200})$/.exec(header);
    if (!match?.[1])
      throw new AppError('UNAUTHENTICATED', 'malformed Authorization header (expected Bearer pbx_...)');
    const principal = await authenticateApiKey(svc.db, match[1], req.ip);
    if (!principal) throw new AppError('UNAUTHENTICATED', 'unknown, revoked or expired API key');
    return principal;
  }
  const token = req.cookies[SESSION_COOKIE];
  if (!token || token.length > 200) return null;
  req.sessionToken = token;
  return authenticateSession(svc.db, token, req.ip);
}
