import { ListRecordingsQuery, RecordingPage, RecordingSchema, Uuid } from '@pbx/contracts';
import { deleteRecording, getRecording, getRecordingAudio, listRecordings } from '@pbx/domain';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { tenantCtx } from '../http/context.js';
import { recordingDto } from '../http/mappers/history.js';
import { pageDto } from '../http/mappers/shared.js';
import { NoContent, TenantParams, WriteHeaders, withErrors } from '../http/schema.js';
import { AudioResponse, sendStoredAudio } from '../http/send-file.js';
import type { Services } from '../http/types.js';

const RecordingParams = TenantParams.extend({ recordingId: Uuid });

export const recordingRoutes: FastifyPluginCallbackZod<{ svc: Services }> = (app, { svc }, done) => {
  const tags = ['recordings'];
  const config = { access: 'tenant-admin' } as const;

  app.get('/recordings', {
    schema: {
      tags,
      summary: 'List call recordings, newest first',
      params: TenantParams,
      querystring: ListRecordingsQuery,
      response: withErrors({ 200: RecordingPage }),
    },
    config,
    handler: async (req) => pageDto(await listRecordings(tenantCtx(req, svc), req.query), recordingDto),
  });

  app.get('/recordings/:recordingId', {
    schema: {
      tags,
      summary: 'Get a recording',
      params: RecordingParams,
      response: withErrors({ 200: RecordingSchema }),
    },
    config,
    handler: async (req) => recordingDto(await getRecording(tenantCtx(req, svc), req.params.recordingId)),
  });

  app.get('/recordings/:recordingId/audio', {
    schema: {
      tags,
      summary: 'Download a finished recording',
      params: RecordingParams,
      response: withErrors({ 200: AudioResponse }),
    },
    config,
    handler: async (req, reply) => {
      const rec = await getRecordingAudio(tenantCtx(req, svc), req.params.recordingId);
      return sendStoredAudio(reply, svc.storage, rec.storageKey, rec.format, `recording-${rec.id}`);
    },
  });

  app.delete('/recordings/:recordingId', {
    schema: {
      tags,
      summary: 'Delete a recording (file removed, row kept as DELETED)',
      params: RecordingParams,
      headers: WriteHeaders,
      response: withErrors({ 204: NoContent }),
    },
    config,
    handler: async (req, reply) => {
      await deleteRecording(tenantCtx(req, svc), svc.storage, req.params.recordingId);
      return reply.code(204).send();
    },
  });
  done();
};
