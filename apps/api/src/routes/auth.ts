import { ChangePasswordBody, LoginBody, MeSchema } from '@pbx/contracts';
import { changeOwnPassword, describePrincipal, describeUser, isAppError, logIn, logOut } from '@pbx/domain';
import { platformCtx } from '../http/context.js';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Services } from '../http/types.js';
import { NoContent, withErrors } from '../http/schema.js';
import { SESSION_COOKIE } from '../plugins/auth.js';

export const authRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  const { config } = svc;

  app.post('/auth/login', {
    schema: {
      tags: ['auth'],
      summary:
        'Log in with e-mail and password; sets the pbx_session cookie. 423 ACCOUNT_LOCKED (with details.lockedUntil and Retry-After) after too many failures',
      security: [],
      body: LoginBody,
      response: withErrors({ 200: MeSchema }),
    },
    config: {
      access: 'public',
      // Per client IP, on top of the per-account lockout.
      rateLimit: {
        max: config.LOGIN_RATE_LIMIT_PER_MIN,
        timeWindow: 60_000,
        keyGenerator: (req) => `login:${req.ip}`,
      },
    },
    handler: async (req, reply) => {
      const session = await logIn(
        svc.db,
        {
          email: req.body.email,
          password: req.body.password,
          ip: req.ip,
          userAgent: req.headers['user-agent'] ?? null,
        },
        {
          maxFailures: config.LOGIN_MAX_FAILURES,
          lockMinutes: config.LOGIN_LOCK_MINUTES,
          sessionTtlHours: config.SESSION_TTL_HOURS,
        },
      ).catch((error: unknown) => {
        const until =
          isAppError(error) && error.code === 'ACCOUNT_LOCKED' ? error.details?.lockedUntil : null;
        if (typeof until === 'string') {
          const seconds = Math.max(1, Math.ceil((Date.parse(until) - Date.now()) / 1000));
          reply.header('retry-after', String(seconds));
        }
        throw error;
      });
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.SESSION_COOKIE_SECURE,
        expires: session.expiresAt,
      });
      return describeUser(svc.db, session.userId);
    },
  });

  app.post('/auth/logout', {
    schema: {
      tags: ['auth'],
      summary: 'End the current session',
      security: [],
      response: withErrors({ 204: NoContent }),
    },
    config: { access: 'public' },
    handler: async (req, reply) => {
      if (req.sessionToken) await logOut(svc.db, req.sessionToken);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  });

  app.get('/auth/me', {
    schema: {
      tags: ['auth'],
      summary: 'Who am I: user or API key, role, tenant, own extension',
      response: withErrors({ 200: MeSchema }),
    },
    config: { access: 'authenticated' },
    handler: async (req) => {
      if (!req.principal) throw new Error('unreachable: access is authenticated');
      return describePrincipal(svc.db, req.principal);
    },
  });
  app.post('/auth/password', {
    schema: {
      tags: ['auth'],
      summary: 'Change your own password (users only); your other sessions end',
      body: ChangePasswordBody,
      response: withErrors({ 204: NoContent }),
    },
    config: { access: 'authenticated' },
    handler: async (req, reply) => {
      await changeOwnPassword(platformCtx(req, svc), req.body, req.sessionToken);
      return reply.code(204).send();
    },
  });
  done();
};
