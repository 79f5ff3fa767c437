import { rm } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { CallRecording } from '@pbx/db';
import { storageKeys, type ObjectStorage } from '@pbx/storage';

type Row = Pick<CallRecording, 'id' | 'tenantId' | 'state' | 'format' | 'filePath' | 'sourcePath'>;

/**
 * Where a recording's audio may be: the stored copy (READY rows: their `filePath` is the storage key) and the
 * raw file FreeSWITCH wrote on the local volume (absolute paths only: a key is never taken for a local path).
 */
export function recordingFiles(row: Row): { storageKey: string | null; localFiles: string[] } {
  const storageKey = row.state === 'READY' ? storageKeys.recording(row.tenantId, row.id, row.format) : null;
  const localFiles = [row.filePath, row.sourcePath].filter((p): p is string => p !== null && isAbsolute(p));
  return { storageKey, localFiles: [...new Set(localFiles)] };
}

/** Removes a recording's audio after its row changed (delete, retention): the stored copy and any raw file. */
export async function removeRecordingFiles(storage: ObjectStorage, row: Row): Promise<void> {
  const { storageKey, localFiles } = recordingFiles(row);
  if (storageKey) await storage.delete(storageKey);
  for (const file of localFiles) await rm(file, { force: true });
}
