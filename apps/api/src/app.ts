import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { fastifyTimeouts, httpTimeoutsOf } from '@pbx/config';
import type { Db } from '@pbx/db';
import { AppError, secretKeyFrom } from '@pbx/domain';
import { redisNotificationPublisher } from '@pbx/jobs/notifications';
import { mediaLayout } from '@pbx/media';
import { createStorage, type ObjectStorage } from '@pbx/storage';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import {
  createJsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ApiConfig } from './config.js';
import { operationId } from './http/operation-id.js';
import { toProblem } from './http/problem.js';
import type { Services } from './http/types.js';
import { registerAuth, SESSION_COOKIE } from './plugins/auth.js';
import { registerIdempotency } from './plugins/idempotency.js';
import { registerJsonBody } from './plugins/json-body.js';
import { uploadBodySchema } from './http/upload.js';
import { registerSingleQuery } from './plugins/single-query.js';
import { registerMetrics } from './plugins/metrics.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { platformAuditRoutes, tenantAuditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { callRoutes } from './routes/calls.js';
import { platformFraudRoutes, tenantFraudRoutes } from './routes/fraud.js';
import { platformGuardRoutes, tenantGuardRoutes } from './routes/guards.js';
import { platformJobRoutes } from './routes/jobs.js';
import { cdrRoutes } from './routes/cdrs.js';
import { explainRoutes } from './routes/explain.js';
import { extensionRoutes } from './routes/extensions.js';
import { inboundNumberRoutes } from './routes/inbound-numbers.js';
import { callerIdRoutes } from './routes/caller-ids.js';
import { gatewayRoutes, tenantTrunkRoutes } from './routes/gateways.js';
import { greetingRoutes } from './routes/greetings.js';
import { ivrMenuRoutes } from './routes/ivr-menus.js';
import { opsRoutes } from './routes/ops.js';
import { recordingRoutes } from './routes/recordings.js';
import { ringGroupRoutes } from './routes/ring-groups.js';
import { tenantRoutes } from './routes/tenants.js';
import { timeConditionRoutes } from './routes/time-conditions.js';
import { userRoutes } from './routes/users.js';
import { voicemailRoutes } from './routes/voicemail.js';

export type RegisteredRoute = { method: string; url: string };

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: RegisteredRoute[];
  }
}

export type ApiDeps = {
  config: ApiConfig;
  prisma: Db;
  /** Used to publish ConfigChanged and for the shared rate-limit counters. */
  redis: Redis;
  /** Fastify/pino logger options (tests pass a stream to capture the output). */
  logger?: FastifyServerOptions['logger'];
  /** Defaults to the one the config names (STORAGE_BACKEND); closed with the app either way. */
  storage?: ObjectStorage;
};

// Credentials never reach the logs, whatever a serializer decides to include.
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'req.body',
  '*.password',
  '*.pin',
  '*.sipPassword',
  '*.key',
];

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const logger = deps.logger === undefined ? { level: config.LOG_LEVEL } : deps.logger;
  const app = Fastify({
    logger: typeof logger === 'object' && logger !== null ? { ...logger, redact: REDACT } : logger,
    trustProxy: config.TRUST_PROXY,
    bodyLimit: 256 * 1024,
    ...fastifyTimeouts(httpTimeoutsOf('API', config)),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // What the router refuses before any route runs (a path that does not URL-decode: FST_ERR_BAD_URL) is a
    // problem too, like every other error (found by apps/api/test/fuzz.test.ts).
    frameworkErrors: (error, _req, reply) => {
      const problem = toProblem(error);
      // Typed for no route in particular (no schema): the plain reply.
      void (reply as unknown as FastifyReply)
        .code(problem.status)
        .type('application/problem+json')
        .send(problem);
    },
  }).withTypeProvider<ZodTypeProvider>();
  // Every route as registered, so tests can hold the OpenAPI document against it.
  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method: method.toUpperCase(), url: r.url });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const svc: Services = {
    db: deps.prisma,
    config,
    notify: redisNotificationPublisher(deps.redis, config.REDIS_PREFIX, () => app.log),
    media: mediaLayout(config.MEDIA_DIR),
    storage: deps.storage ?? createStorage(config),
    gatewayKey: secretKeyFrom(config.GATEWAY_SECRET_KEY),
  };
  app.addHook('onClose', () => svc.storage.close());

  app.setErrorHandler((error, req, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) req.log.error({ err: error }, 'request failed');
    else req.log.info({ code: problem.code, status: problem.status }, 'request rejected');
    return reply.code(problem.status).type('application/problem+json').send(problem);
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .type('application/problem+json')
      .send(toProblem(new AppError('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`))),
  );

  registerJsonBody(app);
  // Greeting uploads: one file per request, streamed to disk by the route, cut off past the limit.
  await app.register(multipart, {
    limits: { fileSize: config.GREETING_MAX_BYTES, files: 1, fields: 0, parts: 1, headerPairs: 20 },
  });
  registerSingleQuery(app);
  // API answers carry account data and one-time secrets: never cached, never sniffed.
  app.addHook('onSend', (req, reply, payload, done) => {
    if (!req.url.startsWith('/v1/docs'))
      reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
    done(null, payload);
  });
  await app.register(cookie);
  registerAuth(app, svc);
  await app.register(rateLimit, {
    global: true,
    max: config.RATE_LIMIT_PER_MIN,
    timeWindow: 60_000,
    redis: deps.redis,
    nameSpace: `${config.REDIS_PREFIX}:ratelimit:`,
    // A Redis outage must not take the API down with it.
    skipOnError: true,
    keyGenerator: (req) => {
      const actor = req.principal?.actor;
      return actor ? `${actor.apiKeyId ? 'key' : 'user'}:${actor.apiKeyId ?? actor.userId}` : `ip:${req.ip}`;
    },
    errorResponseBuilder: (_req, ctx) =>
      new AppError('RATE_LIMITED', `rate limit exceeded, retry in ${ctx.after}`),
  });
  registerIdempotency(app, svc);
  const metrics = registerMetrics(app);

  const zodTransform = createJsonSchemaTransform({ skipList: [] });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'PBX Provisioning API',
        version: '1.0.0',
        description:
          'Multi-tenant PBX configuration. Errors are application/problem+json. Writes accept Idempotency-Key; updates accept If-Match with the ETag of a GET.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'API key: Authorization: Bearer pbx_...' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: (input) => {
      const out = zodTransform(input);
      const method = [input.route.method].flat()[0] ?? 'GET';
      const upload = (input.route.config as { upload?: { description: string } } | undefined)?.upload;
      return {
        ...out,
        schema: {
          ...out.schema,
          ...(upload ? uploadBodySchema(upload.description) : {}),
          operationId: operationId(method.toUpperCase(), input.url),
        },
      };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/v1/docs' });

  await app.register(opsRoutes, { svc, redis: deps.redis, metrics });
  await app.register(
    async (v1) => {
      v1.withTypeProvider<ZodTypeProvider>().get('/openapi.json', {
        schema: {
          tags: ['operations'],
          security: [],
          summary: 'This OpenAPI 3.1 document',
          response: { 200: z.record(z.string(), z.unknown()) },
        },
        config: { access: 'public' },
        handler: () => app.swagger() as unknown as Record<string, unknown>,
      });
      await v1.register(authRoutes, { svc });
      await v1.register(tenantRoutes, { svc });
      await v1.register(apiKeyRoutes, { svc });
      await v1.register(platformAuditRoutes, { svc });
      await v1.register(platformGuardRoutes, { svc, redis: deps.redis });
      await v1.register(gatewayRoutes, { svc, redis: deps.redis });
      await v1.register(platformFraudRoutes, { svc, redis: deps.redis });
      await v1.register(platformJobRoutes, { svc, redis: deps.redis });
      await v1.register(
        async (tenant) => {
          await tenant.register(userRoutes, { svc });
          await tenant.register(extensionRoutes, { svc });
          await tenant.register(voicemailRoutes, { svc });
          await tenant.register(ivrMenuRoutes, { svc });
          await tenant.register(greetingRoutes, { svc });
          await tenant.register(inboundNumberRoutes, { svc });
          await tenant.register(callerIdRoutes, { svc });
          await tenant.register(tenantTrunkRoutes, { svc });
          await tenant.register(ringGroupRoutes, { svc });
          await tenant.register(timeConditionRoutes, { svc });
          await tenant.register(recordingRoutes, { svc });
          await tenant.register(cdrRoutes, { svc });
          await tenant.register(tenantAuditRoutes, { svc });
          await tenant.register(callRoutes, { svc, redis: deps.redis });
          await tenant.register(tenantGuardRoutes, { svc, redis: deps.redis });
          await tenant.register(tenantFraudRoutes, { svc, redis: deps.redis });
          await tenant.register(explainRoutes, { svc, redis: deps.redis });
        },
        { prefix: '/tenants/:tenantId' },
      );
    },
    { prefix: '/v1' },
  );
  return app;
}
