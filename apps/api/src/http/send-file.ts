import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, normalize } from 'node:path';
import { AppError } from '@pbx/domain';
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

/** Streams a stored media file (paths come from our own rows, written by the controller/worker). */
export async function sendAudio(reply: FastifyReply, filePath: string, format: string, downloadName: string) {
  const path = normalize(filePath);
  if (!isAbsolute(path)) throw new AppError('NOT_FOUND', 'the audio file is not available');
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new AppError('NOT_FOUND', 'the audio file is not available');
  return reply
    .type(TYPES[format] ?? 'application/octet-stream')
    .header('content-length', info.size)
    .header(
      'content-disposition',
      `attachment; filename="${downloadName.replace(/[^\w.-]/g, '_')}.${format.replace(/[^a-z0-9]/g, '')}"`,
    )
    .send(createReadStream(path));
}
