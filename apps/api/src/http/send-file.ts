import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, normalize } from 'node:path';
import { AppError } from '@pbx/domain';
import type { ObjectStorage } from '@pbx/storage';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

const TYPES: Record<string, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  opus: 'audio/opus',
};

/** Binary audio response, documented for OpenAPI. */
export const AudioResponse = {
  description: 'The audio file',
  content: {
    'application/octet-stream': { schema: z.string().describe('binary audio (audio/wav, audio/mpeg, ...)') },
  },
};

const audioReply = (reply: FastifyReply, sizeBytes: number, format: string, downloadName: string) =>
  reply
    .type(TYPES[format] ?? 'application/octet-stream')
    .header('content-length', sizeBytes)
    .header(
      'content-disposition',
      `attachment; filename="${downloadName.replace(/[^\w.-]/g, '_')}.${format.replace(/[^a-z0-9]/g, '')}"`,
    );

/** Streams a media file on the shared volume (paths come from our own rows, written by the controller/worker). */
export async function sendAudio(reply: FastifyReply, filePath: string, format: string, downloadName: string) {
  const path = normalize(filePath);
  if (!isAbsolute(path)) throw new AppError('NOT_FOUND', 'the audio file is not available');
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new AppError('NOT_FOUND', 'the audio file is not available');
  return audioReply(reply, info.size, format, downloadName).send(createReadStream(path));
}

/**
 * Streams an object of the storage (keys come from our own rows): S3's GetObject body is piped through as it
 * arrives, never buffered whole; a client that goes away closes it.
 */
export async function sendStoredAudio(
  reply: FastifyReply,
  storage: ObjectStorage,
  key: string,
  format: string,
  downloadName: string,
) {
  const object = await storage.get(key);
  if (!object) throw new AppError('NOT_FOUND', 'the audio file is not available');
  return audioReply(reply, object.sizeBytes, format, downloadName).send(object.body);
}
