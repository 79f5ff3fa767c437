import { link, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileExists, tempPathFor, type MediaLayout } from '@pbx/media';
import { fetchVerified, type ObjectStorage } from '@pbx/storage';
import type { PlatformContext } from '../context.js';
import {
  REFILL_PHASES,
  stillStored,
  storedMediaPage,
  type RefillCursor,
  type RefillPhase,
  type StoredMedia,
} from './stored-media.js';

export type RefillOptions = {
  layout: MediaLayout;
  storage: ObjectStorage;
  /** Where to go on; absent: a new pass from the first row. */
  cursor?: RefillCursor | undefined;
  /** Files fetched from the storage in this run at most (refilled, or failed trying). */
  maxFiles: number;
  /** Rows looked at in this run at most (each costs a stat of its file, or up to three for a box). */
  maxRows: number;
  log: (line: string) => void;
};

export type RefillOutcome = 'refilled' | 'missing-object' | 'failed';

export type RefillResult = {
  /** Files put back, by kind. */
  refilled: { greeting: number; 'voicemail-message': number };
  /** Files missing whose stored copy is missing too: nothing to put back (logged each run). */
  missingObjects: number;
  /** Files that could not be put back now (storage unreachable, copy not matching, misplaced row): logged. */
  failed: number;
  rowsChecked: number;
  /** Where the next run of this pass starts; null: the pass is complete. */
  next: { phase: RefillPhase; afterId: string } | null;
  /** Every file this run tried, for the caller's counters. */
  attempts: { kind: StoredMedia['kind']; outcome: RefillOutcome }[];
};

const PAGE = 200;

const describe = (m: StoredMedia) =>
  m.kind === 'voicemail-message'
    ? `voicemail message ${m.messageId} of tenant ${m.tenantId}`
    : `${m.target.type === 'ivr-menu' ? `IVR menu ${m.target.menuId}` : `voicemail box ${m.target.boxId} ${m.target.kind}`} greeting of tenant ${m.tenantId}`;

const isCode = (error: unknown, code: string) =>
  error instanceof Error && 'code' in error && error.code === code;

/**
 * Puts one missing file back from its stored copy: downloaded to a temporary name in its own directory, verified
 * against the digests the store step proved (fetchVerified), then linked into place, which fails rather than
 * replace a file that appeared meanwhile (a newer greeting, another worker's refill). null: the file is there.
 */
export async function refillOne(
  ctx: PlatformContext,
  m: StoredMedia,
  storage: ObjectStorage,
): Promise<RefillOutcome | null> {
  // A message is played from the path its row names, which the deposit took from the same layout.
  // A file that cannot be reached is fetched again; link() below still never replaces one that exists.
  if (await fileExists(m.kind === 'voicemail-message' ? m.filePath : m.path)) return null;
  if (m.kind === 'voicemail-message' && m.filePath !== m.path)
    throw new Error(`its row names ${m.filePath}, not its place ${m.path} under MEDIA_DIR: not put back`);
  await mkdir(dirname(m.path), { recursive: true });
  const temp = tempPathFor(m.path);
  try {
    if (!(await fetchVerified(storage, m.key, temp))) return 'missing-object';
    try {
      await link(temp, m.path);
    } catch (error) {
      if (isCode(error, 'EEXIST')) return null;
      throw error;
    }
  } finally {
    await rm(temp, { force: true });
  }
  // Deleted while we copied (the deletion removes its file after its commit, so checking after the link sees it).
  if (!(await stillStored(ctx.db, m))) {
    await rm(m.path, { force: true });
    return null;
  }
  return 'refilled';
}

/**
 * Refills the media volume from the storage: every greeting and voicemail message whose audio is stored but whose
 * file is missing from MEDIA_DIR is put back at its own tenant's place, byte for byte as stored; an existing file
 * is never touched. Platform-wide, bounded per run (`maxFiles` fetched, `maxRows` looked at) and resumable
 * (`next`), so a lost volume comes back over a few runs without loading it all at once. Nothing in the database
 * changes: the rows already say the audio exists. One file's trouble is logged and counted, never fatal.
 */
export async function refillMedia(ctx: PlatformContext, options: RefillOptions): Promise<RefillResult> {
  const result: RefillResult = {
    refilled: { greeting: 0, 'voicemail-message': 0 },
    missingObjects: 0,
    failed: 0,
    rowsChecked: 0,
    next: null,
    attempts: [],
  };
  let cursor: RefillCursor = options.cursor ?? { phase: 'ivr-menu', afterId: null };
  for (;;) {
    const budget = Math.min(PAGE, options.maxRows - result.rowsChecked);
    const rows = await storedMediaPage(ctx.db, options.layout, cursor, budget);
    for (const row of rows) {
      for (const m of row.files) {
        const outcome = await refillOne(ctx, m, options.storage).catch((error: unknown) => {
          options.log(
            `media refill: ${describe(m)}: ${error instanceof Error ? error.message : String(error)}`,
          );
          return 'failed' as const;
        });
        if (outcome === null) continue;
        result.attempts.push({ kind: m.kind, outcome });
        if (outcome === 'refilled') {
          result.refilled[m.kind]++;
          options.log(`media refill: ${describe(m)} put back at ${m.path}`);
        } else if (outcome === 'missing-object') {
          result.missingObjects++;
          options.log(`media refill: ${describe(m)} is missing and so is its stored copy ${m.key}`);
        } else result.failed++;
      }
      result.rowsChecked++;
      const next = { phase: cursor.phase, afterId: row.id };
      cursor = next;
      if (result.attempts.length >= options.maxFiles || result.rowsChecked >= options.maxRows) {
        result.next = next;
        return result;
      }
    }
    if (rows.length < budget) {
      const phase = REFILL_PHASES[REFILL_PHASES.indexOf(cursor.phase) + 1];
      if (!phase) return result;
      cursor = { phase, afterId: null };
    }
  }
}
