import { GreetingKindSchema, GreetingResultSchema, TextGreetingBody, Uuid } from '@pbx/contracts';
import {
  deleteGreeting,
  getGreetingAudio,
  storeGreeting,
  type GreetingTarget,
  type StoredGreeting,
} from '@pbx/domain';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { tenantCtx } from '../http/context.js';
import { NoContent, TenantParams, WriteHeaders, withErrors } from '../http/schema.js';
import { AudioResponse, sendStoredAudio } from '../http/send-file.js';
import type { Services } from '../http/types.js';
import { withUploadedFile } from '../http/upload.js';

const MenuParams = TenantParams.extend({ menuId: Uuid });
const BoxParams = TenantParams.extend({ boxId: Uuid, kind: GreetingKindSchema });

const resultDto = (g: StoredGreeting) => ({
  updatedAt: g.updatedAt.toISOString(),
  durationSec: Math.round(g.durationSec * 1000) / 1000,
  sizeBytes: g.sizeBytes,
});

/**
 * Greetings of IVR menus (tenant admins) and voicemail boxes (admins and the box's owner): upload
 * (WAV/MP3/OGG, converted to 16 kHz mono PCM WAV), typed text spoken by espeak-ng, download, delete.
 */
export const greetingRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  const { GREETING_MAX_BYTES: maxBytes, GREETING_MAX_SECONDS: maxSeconds } = svc.config;
  const limits = { maxSeconds };
  const uploadDoc = `WAV, MP3 or OGG audio, at most ${maxBytes} bytes and ${maxSeconds} s`;

  const owners = [
    {
      path: '/ivr-menus/:menuId/greeting',
      tags: ['ivr-menus'],
      what: "the IVR menu's greeting",
      params: MenuParams,
      access: 'tenant-admin',
      target: (req: FastifyRequest): GreetingTarget => ({
        type: 'ivr-menu',
        menuId: (req.params as { menuId: string }).menuId,
      }),
    },
    {
      path: '/voicemail-boxes/:boxId/greetings/:kind',
      tags: ['voicemail'],
      what: "a voicemail box's greeting (unavailable, busy or name)",
      params: BoxParams,
      access: 'voicemail-owner',
      target: (req: FastifyRequest): GreetingTarget => {
        const p = req.params as { boxId: string; kind: 'unavailable' | 'busy' | 'name' };
        return { type: 'voicemail-box', boxId: p.boxId, kind: p.kind };
      },
    },
  ] as const;

  for (const o of owners) {
    const config = { access: o.access } as const;

    app.put(o.path, {
      schema: {
        tags: [...o.tags],
        summary: `Upload ${o.what} (multipart/form-data, field "file": ${uploadDoc})`,
        params: o.params,
        headers: WriteHeaders,
        response: withErrors({ 200: GreetingResultSchema }),
      },
      config: { ...config, upload: { description: uploadDoc } },
      handler: async (req) =>
        resultDto(
          await withUploadedFile(req, maxBytes, (file) =>
            storeGreeting(tenantCtx(req, svc), svc.media, svc.storage, o.target(req), { file }, limits),
          ),
        ),
    });

    app.put(`${o.path}/text`, {
      schema: {
        tags: [...o.tags],
        summary: `Set ${o.what} from typed text, spoken by the text-to-speech engine`,
        params: o.params,
        headers: WriteHeaders,
        body: TextGreetingBody,
        response: withErrors({ 200: GreetingResultSchema }),
      },
      config,
      handler: async (req) =>
        resultDto(
          await storeGreeting(
            tenantCtx(req, svc),
            svc.media,
            svc.storage,
            o.target(req),
            { text: req.body.text },
            limits,
          ),
        ),
    });

    app.get(o.path, {
      schema: {
        tags: [...o.tags],
        summary: `Download ${o.what} (16 kHz mono 16-bit PCM WAV)`,
        params: o.params,
        response: withErrors({ 200: AudioResponse }),
      },
      config,
      handler: async (req, reply) => {
        const target = o.target(req);
        const audio = await getGreetingAudio(tenantCtx(req, svc), svc.media, target);
        const name = target.type === 'ivr-menu' ? `greeting-${target.menuId}` : `greeting-${target.kind}`;
        return sendStoredAudio(reply, svc.storage, audio.storageKey, audio.format, name);
      },
    });

    app.delete(o.path, {
      schema: {
        tags: [...o.tags],
        summary: `Delete ${o.what}; callers hear the spoken default again`,
        params: o.params,
        headers: WriteHeaders,
        response: withErrors({ 204: NoContent }),
      },
      config,
      handler: async (req, reply) => {
        await deleteGreeting(tenantCtx(req, svc), svc.media, svc.storage, o.target(req));
        return reply.code(204).send();
      },
    });
  }
  done();
};
