import { rm } from 'node:fs/promises';

/**
 * Removes a message's audio after its row is gone, unless an e-mail of it is still pending: the voicemail-email job
 * reads the row and then the file, so while it may still run the file stays (the job, finding no row, has nothing to
 * send; the orphaned file is the job's or the housekeeping sweep's to remove: `<voicemailDir>/<messageId>.wav` with no
 * row). Best effort: the database is the record, a file that cannot be removed is only wasted space.
 */
export async function removeMessageAudio(row: { filePath: string; emailState: string }): Promise<boolean> {
  if (row.emailState === 'PENDING') return false;
  await rm(row.filePath, { force: true }).catch(() => undefined);
  return true;
}
