import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@pbx/domain';
import type { FastifyRequest } from 'fastify';

const FIELD = 'file';

/** OpenAPI for a multipart upload (the zod type provider cannot validate multipart, so it is added here). */
export function uploadBodySchema(description: string) {
  return {
    consumes: ['multipart/form-data'],
    body: {
      type: 'object',
      required: [FIELD],
      properties: { [FIELD]: { type: 'string', format: 'binary', description } },
    },
  };
}

function isMultipartError(error: unknown, code: string): boolean {
  return (error as { code?: unknown } | null)?.code === code;
}

/**
 * Receives the one file of a multipart/form-data request (field `file`) into a private temporary file,
 * hands its path to `use`, and removes it afterwards. Past `maxBytes` the upload is refused with 413.
 */
export async function withUploadedFile<T>(
  req: FastifyRequest,
  maxBytes: number,
  use: (path: string) => Promise<T>,
): Promise<T> {
  if (!req.isMultipart())
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `send the audio as multipart/form-data, field "${FIELD}"`, {
      field: FIELD,
    });
  const dir = await mkdtemp(join(tmpdir(), 'pbx-upload-'));
  try {
    const part = await req.file().catch((error: unknown) => {
      throw new AppError('VALIDATION_FAILED', `the multipart body could not be read: ${String(error)}`, {
        field: FIELD,
        cause: error,
      });
    });
    if (!part || part.fieldname !== FIELD) {
      part?.file.resume();
      throw new AppError('VALIDATION_FAILED', `expected one file in the field "${FIELD}"`, { field: FIELD });
    }
    const path = join(dir, randomUUID());
    try {
      await pipeline(part.file, createWriteStream(path, { mode: 0o600 }));
    } catch (error) {
      if (isMultipartError(error, 'FST_REQ_FILE_TOO_LARGE') || part.file.truncated)
        throw new AppError('PAYLOAD_TOO_LARGE', `the file is larger than ${maxBytes} bytes`, {
          field: FIELD,
        });
      throw error;
    }
    if (part.file.truncated)
      throw new AppError('PAYLOAD_TOO_LARGE', `the file is larger than ${maxBytes} bytes`, { field: FIELD });
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
