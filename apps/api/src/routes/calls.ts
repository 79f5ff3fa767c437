import { LiveCallListSchema, RegistrationListSchema } from '@pbx/contracts/calls';
import { Uuid } from '@pbx/contracts';
import { AppError, getExtension } from '@pbx/domain';
import { LiveCallReader, RegistrationReader } from '@pbx/events-ingest/readers';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { tenantCtx } from '../http/context.js';
import { TenantParams, withErrors } from '../http/schema.js';
import type { Services } from '../http/types.js';

const ExtensionParams = TenantParams.extend({ extensionId: Uuid });
/** A comment line every so often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

/**
 * Read-only views of what the controller keeps in Redis from FreeSWITCH's
 * events: registrations and live calls, plus a server-sent-events stream of
 * live-call changes. The controller writes; the API only reads, per tenant.
 */
export const callRoutes: FastifyPluginCallbackZod<{ svc: Services; redis: Redis }> = (
  app,
  { svc, redis },
  done,
) => {
  const tags = ['calls'];
  const prefix = svc.config.REDIS_PREFIX;
  const registrations = new RegistrationReader(redis, prefix);
  const liveCalls = new LiveCallReader(redis, prefix);
  // Open streams end when the API shuts down; otherwise the server would wait for every portal tab to leave.
  const streams = new Set<AbortController>();
  app.addHook('preClose', (done) => {
    for (const s of streams) s.abort();
    done();
  });

  app.get('/registrations', {
    schema: {
      tags,
      summary: "The tenant's registered devices, on every FreeSWITCH node",
      params: TenantParams,
      response: withErrors({ 200: RegistrationListSchema }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req) => ({ items: await registrations.listByTenant(tenantCtx(req, svc).tenantId) }),
  });

  app.get('/extensions/:extensionId/registrations', {
    schema: {
      tags,
      summary: 'The devices registered for one extension (admins, or its user)',
      params: ExtensionParams,
      response: withErrors({ 200: RegistrationListSchema }),
    },
    config: { access: 'extension-owner' },
    handler: async (req) => {
      const ctx = tenantCtx(req, svc);
      const ext = await getExtension(ctx, req.params.extensionId);
      return { items: await registrations.listByExtension(ctx.tenantId, ext.number) };
    },
  });

  app.get('/live-calls', {
    schema: {
      tags,
      summary: "The tenant's active call legs",
      params: TenantParams,
      response: withErrors({ 200: LiveCallListSchema }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req) => ({ items: await liveCalls.list(tenantCtx(req, svc).tenantId) }),
  });

  app.get('/live-calls/stream', {
    schema: {
      tags,
      summary:
        'Server-sent events: first `snapshot` (the list), then one `change` per leg added, changed (`upsert`) or gone (`remove`). Send Accept: text/event-stream.',
      params: TenantParams,
      response: withErrors({
        200: {
          description:
            'text/event-stream; each data line is a LiveCallList (snapshot) or a LiveCallChange (change)',
          content: { 'text/event-stream': { schema: z.string() } },
        },
      }),
    },
    config: { access: 'tenant-admin' },
    handler: async (req, reply) => {
      const { tenantId } = tenantCtx(req, svc);
      if (!String(req.headers.accept ?? '').includes('text/event-stream'))
        throw new AppError('VALIDATION_FAILED', 'this is an event stream: send Accept: text/event-stream', {
          field: 'accept',
        });
      const gone = new AbortController();
      streams.add(gone);
      gone.signal.addEventListener('abort', () => streams.delete(gone), { once: true });
      req.raw.on('close', () => gone.abort());
      // Subscribed before the snapshot is read, so no change falls between the two.
      const feed = await liveCalls.changes(tenantId, gone.signal);
      const snapshot = await liveCalls.list(tenantId);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        connection: 'close',
        'x-accel-buffering': 'no',
      });
      res.write(`event: snapshot\ndata: ${JSON.stringify({ items: snapshot })}\n\n`);
      const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
      try {
        for await (const change of feed) {
          if (gone.signal.aborted) break;
          res.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
        }
      } finally {
        clearInterval(keepalive);
        feed.close();
        // The socket goes with the stream, so nothing lingers to hold up the server's shutdown.
        res.end(() => res.socket?.destroy());
      }
    },
  });
  done();
};
