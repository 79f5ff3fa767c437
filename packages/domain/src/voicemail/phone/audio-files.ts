import { rm } from 'node:fs/promises';
import type { ObjectStorage } from '@pbx/storage';
import { voicemailMessageKey } from '../../voicemail-storage/store-voicemail-message.js';

type Row = { id: string; tenantId: string; boxId: string; filePath: string; emailState: string };

/**
 * Removes a message's audio after its row is gone: the stored copy, and the file on the media volume unless an
 * e-mail of it is still pending: the voicemail-email job reads the row and then the file, so while it may still run
 * the file stays (the job, finding no row, has nothing to send). Best effort, never rejects: the database is the
 * record, and the worker's hourly sweep removes stored copies without a row (a storage that was down now).
 */
export async function removeMessageAudio(row: Row, storage: ObjectStorage): Promise<boolean> {
  await Promise.resolve()
    .then(() => storage.delete(voicemailMessageKey(row)))
    .catch(() => undefined);
  if (row.emailState === 'PENDING') return false;
  await rm(row.filePath, { force: true }).catch(() => undefined);
  return true;
}
