import {
  CreateVoicemailBoxBody,
  ListVoicemailBoxesQuery,
  ListVoicemailMessagesQuery,
  RerouteQuery,
  UpdateVoicemailBoxBody,
  UpdateVoicemailMessageBody,
  Uuid,
  VoicemailBoxPage,
  VoicemailBoxSchema,
  VoicemailBoxSettingsBody,
  VoicemailMessagePage,
  VoicemailMessageSchema,
} from '@pbx/contracts';
import {
  createVoicemailBox,
  deleteVoicemailBox,
  deleteVoicemailMessage,
  getVoicemailBox,
  getVoicemailMessage,
  listVoicemailBoxes,
  listVoicemailMessages,
  markVoicemailMessage,
  parseReroute,
  resendVoicemailEmail,
  updateVoicemailBox,
  versionOf,
  voicemailMessageKey,
} from '@pbx/domain';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { ifMatch, tenantCtx } from '../http/context.js';
import { pageDto } from '../http/mappers/shared.js';
import { voicemailBoxDto, voicemailMessageDto } from '../http/mappers/voicemail.js';
import { NoContent, TenantParams, UpdateHeaders, WriteHeaders, withErrors } from '../http/schema.js';
import { AudioResponse, sendAudio, sendStoredAudio } from '../http/send-file.js';
import type { Services } from '../http/types.js';

const BoxParams = TenantParams.extend({ boxId: Uuid });
const MessageParams = BoxParams.extend({ messageId: Uuid });

export const voicemailRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  const tags = ['voicemail'];
  const admin = { access: 'tenant-admin' } as const;
  const owner = { access: 'voicemail-owner' } as const;

  app.get('/voicemail-boxes', {
    schema: {
      tags,
      summary: 'List voicemail boxes',
      params: TenantParams,
      querystring: ListVoicemailBoxesQuery,
      response: withErrors({ 200: VoicemailBoxPage }),
    },
    config: admin,
    handler: async (req) =>
      pageDto(await listVoicemailBoxes(tenantCtx(req, svc), req.query), voicemailBoxDto),
  });

  app.post('/voicemail-boxes', {
    schema: {
      tags,
      summary: 'Create a voicemail box',
      params: TenantParams,
      headers: WriteHeaders,
      body: CreateVoicemailBoxBody,
      response: withErrors({ 201: VoicemailBoxSchema }),
    },
    config: admin,
    handler: async (req, reply) => {
      const box = await createVoicemailBox(tenantCtx(req, svc), req.body);
      return reply.code(201).header('etag', versionOf(box)).send(voicemailBoxDto(box));
    },
  });

  app.get('/voicemail-boxes/:boxId', {
    schema: {
      tags,
      summary: 'Get a voicemail box (admins, or its extension user)',
      params: BoxParams,
      response: withErrors({ 200: VoicemailBoxSchema }),
    },
    config: owner,
    handler: async (req, reply) => {
      const box = await getVoicemailBox(tenantCtx(req, svc), req.params.boxId);
      return reply.header('etag', versionOf(box)).send(voicemailBoxDto(box));
    },
  });

  app.patch('/voicemail-boxes/:boxId', {
    schema: {
      tags,
      summary:
        'Change a voicemail box (only the fields sent). Its owner may send only PIN, greeting and e-mail delivery (else 403)',
      params: BoxParams,
      headers: UpdateHeaders,
      body: UpdateVoicemailBoxBody,
      response: withErrors({ 200: VoicemailBoxSchema }),
    },
    // The domain decides which fields the box's owner may change.
    config: owner,
    handler: async (req, reply) => {
      const box = await updateVoicemailBox(tenantCtx(req, svc), req.params.boxId, req.body, ifMatch(req));
      return reply.header('etag', versionOf(box)).send(voicemailBoxDto(box));
    },
  });

  app.patch('/voicemail-boxes/:boxId/settings', {
    schema: {
      tags,
      summary: "The mailbox owner's own settings: PIN, greeting, e-mail delivery",
      params: BoxParams,
      headers: UpdateHeaders,
      body: VoicemailBoxSettingsBody,
      response: withErrors({ 200: VoicemailBoxSchema }),
    },
    config: owner,
    handler: async (req, reply) => {
      const box = await updateVoicemailBox(tenantCtx(req, svc), req.params.boxId, req.body, ifMatch(req));
      return reply.header('etag', versionOf(box)).send(voicemailBoxDto(box));
    },
  });

  app.delete('/voicemail-boxes/:boxId', {
    schema: {
      tags,
      summary:
        'Delete a voicemail box and its messages; fails with REFERENCED while routed to, unless rerouted',
      params: BoxParams,
      querystring: RerouteQuery,
      headers: WriteHeaders,
      response: withErrors({ 204: NoContent }),
    },
    config: admin,
    handler: async (req, reply) => {
      const reroute = parseReroute(req.query.reroute_type, req.query.reroute_value);
      await deleteVoicemailBox(tenantCtx(req, svc), req.params.boxId, reroute);
      return reply.code(204).send();
    },
  });

  app.get('/voicemail-boxes/:boxId/messages', {
    schema: {
      tags,
      summary: 'List messages, newest first',
      params: BoxParams,
      querystring: ListVoicemailMessagesQuery,
      response: withErrors({ 200: VoicemailMessagePage }),
    },
    config: owner,
    handler: async (req) => {
      const { unread, ...page } = req.query;
      const result = await listVoicemailMessages(tenantCtx(req, svc), req.params.boxId, {
        ...page,
        ...(unread === undefined ? {} : { unread: unread === 'true' }),
      });
      return pageDto(result, voicemailMessageDto);
    },
  });

  app.get('/voicemail-boxes/:boxId/messages/:messageId', {
    schema: {
      tags,
      summary: 'Get a message',
      params: MessageParams,
      response: withErrors({ 200: VoicemailMessageSchema }),
    },
    config: owner,
    handler: async (req) =>
      voicemailMessageDto(
        await getVoicemailMessage(tenantCtx(req, svc), req.params.boxId, req.params.messageId),
      ),
  });

  app.patch('/voicemail-boxes/:boxId/messages/:messageId', {
    schema: {
      tags,
      summary: 'Mark a message read or unread',
      params: MessageParams,
      headers: WriteHeaders,
      body: UpdateVoicemailMessageBody,
      response: withErrors({ 200: VoicemailMessageSchema }),
    },
    config: owner,
    handler: async (req) =>
      voicemailMessageDto(
        await markVoicemailMessage(
          tenantCtx(req, svc),
          req.params.boxId,
          req.params.messageId,
          req.body.read,
        ),
      ),
  });

  app.post('/voicemail-boxes/:boxId/messages/:messageId/resend-email', {
    schema: {
      tags,
      summary:
        'Send the message by e-mail again (after a failure, or once more): queued at once, sent by the worker; 409 while a delivery is under way',
      params: MessageParams,
      headers: WriteHeaders,
      response: withErrors({ 202: VoicemailMessageSchema }),
    },
    config: owner,
    handler: async (req, reply) => {
      const message = await resendVoicemailEmail(tenantCtx(req, svc), req.params.boxId, req.params.messageId);
      return reply.code(202).send(voicemailMessageDto(message));
    },
  });

  app.get('/voicemail-boxes/:boxId/messages/:messageId/audio', {
    schema: {
      tags,
      summary: 'Download the message audio',
      params: MessageParams,
      response: withErrors({ 200: AudioResponse }),
    },
    config: owner,
    handler: async (req, reply) => {
      const message = await getVoicemailMessage(tenantCtx(req, svc), req.params.boxId, req.params.messageId);
      const name = `voicemail-${message.id}`;
      // The durable copy once the worker has stored it; until then (seconds after the deposit) the media volume's.
      return message.storedAt
        ? sendStoredAudio(reply, svc.storage, voicemailMessageKey(message), message.format, name)
        : sendAudio(reply, message.filePath, message.format, name);
    },
  });

  app.delete('/voicemail-boxes/:boxId/messages/:messageId', {
    schema: {
      tags,
      summary: 'Delete a message and its audio',
      params: MessageParams,
      headers: WriteHeaders,
      response: withErrors({ 204: NoContent }),
    },
    config: owner,
    handler: async (req, reply) => {
      await deleteVoicemailMessage(tenantCtx(req, svc), svc.storage, req.params.boxId, req.params.messageId);
      return reply.code(204).send();
    },
  });
  done();
};
