import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlatformContext } from '../context.js';
import { runWrite } from '../shared/run-write.js';
import { markRecordingFailed } from './finish-recording.js';

/** A finished recording the pipeline should process: the recordingProcess payload. */
export type RecordingToProcess = { tenantId: string; callUuid: string; filePath: string };

export type ReconcileResult = {
  /** Rows moved (or created) to PROCESSING: enqueue each. */
  toProcess: RecordingToProcess[];
  /** Rows whose call ended without their file: FAILED with the reason. */
  failed: number;
  /** Scratch copies (`*.part`) an encoder left behind when its worker died, removed. */
  scratchRemoved: number;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The dialplan's raw file: `<RECORDINGS_DIR>/<tenantId>/<call uuid>.wav` (apps/controller/src/dialplan.ts). */
const RAW_FILE = /^([0-9a-f-]{36})\.wav$/i;
/** The worker's scratch copies (`<recordingId>.mp3.<uuid>.part`, renamed into place when verified). */
const SCRATCH = /\.part$/;
/** No encode runs this long: a scratch file this old belongs to a worker that died (SIGKILL, OOM). */
const SCRATCH_STALE_MS = 3_600_000;
/** Rows and files looked at per run: a backlog drains over several runs instead of one long transaction list. */
const BATCH = 500;

/**
 * Recordings whose RECORD_STOP never arrived (the call ended while no controller was connected: the event is gone,
 * docs/freeswitch-facts.md §4). The call's CDR proves it ended (mod_json_cdr posts it late, or the controller
 * ingests it from the err-log directory), so:
 * - a row still RECORDING whose call has a CDR moves to PROCESSING if its file is there, FAILED if not;
 * - a raw file in a tenant's directory with no row (RECORD_START was lost too) whose call has a CDR of that tenant
 *   gets its row, PROCESSING, linked to the CDR.
 * Each change is one audited write; a row a late RECORD_STOP reaches afterwards is left as it is (the event path
 * only moves RECORDING rows, and the job id is the same, so nothing runs twice).
 */
export async function reconcileRecordings(
  ctx: PlatformContext,
  input: { recordingsDir: string; now?: Date },
): Promise<ReconcileResult> {
  const result: ReconcileResult = { toProcess: [], failed: 0, scratchRemoved: 0 };
  const stuck = await ctx.db.$queryRaw<
    { id: string; tenantId: string; callUuid: string; filePath: string }[]
  >`
    SELECT r."id", r."tenantId"::text AS "tenantId", r."callUuid", r."filePath"
    FROM "CallRecording" r
    WHERE r."state" = 'RECORDING'
      AND EXISTS (SELECT 1 FROM "Cdr" c WHERE c."callUuid" = r."callUuid" AND c."tenantId" = r."tenantId")
    ORDER BY r."createdAt" LIMIT ${BATCH}`;
  for (const row of stuck) {
    if (!(await isFile(row.filePath))) {
      await markRecordingFailed(ctx, {
        tenantId: row.tenantId,
        recordingId: row.id,
        error: 'the call ended without RECORD_STOP and the recording file is missing',
      });
      result.failed++;
      continue;
    }
    const moved = await runWrite(ctx, async (tx, record) => {
      // Conditional, so two runs at once (or a late RECORD_STOP) move the row once: the second waits for the
      // first's row lock and then finds nothing left to move.
      const changed = await tx.callRecording.updateMany({
        where: { id: row.id, state: 'RECORDING' },
        data: { state: 'PROCESSING' },
      });
      if (changed.count === 0) return false;
      const after = await tx.callRecording.findUniqueOrThrow({ where: { id: row.id } });
      await tx.cdr.updateMany({
        where: { tenantId: row.tenantId, callUuid: row.callUuid, recordingId: null },
        data: { recordingId: row.id },
      });
      await record({
        action: 'recording.reconciled',
        entityType: 'recording',
        entityId: row.id,
        tenantId: row.tenantId,
        before: { state: 'RECORDING' },
        after,
        notify: false,
      });
      return true;
    });
    if (moved)
      result.toProcess.push({ tenantId: row.tenantId, callUuid: row.callUuid, filePath: row.filePath });
  }
  const { files, scratch } = await rawFiles(input.recordingsDir);
  const now = (input.now ?? new Date()).getTime();
  for (const path of scratch) {
    const info = await stat(path).catch(() => null);
    if (info && now - info.mtimeMs > SCRATCH_STALE_MS) {
      await rm(path, { force: true });
      result.scratchRemoved++;
    }
  }
  const known = new Set(
    (
      await ctx.db.callRecording.findMany({
        where: { callUuid: { in: files.map((f) => f.callUuid) } },
        select: { filePath: true, sourcePath: true },
      })
    ).flatMap((r) => [r.filePath, r.sourcePath]),
  );
  for (const file of files) {
    if (known.has(file.filePath)) continue;
    // A RECORD_START or RECORD_STOP arriving at this very moment wins the row (unique call + path): skip it.
    const adopted = await adoptFile(ctx, file, input.now ?? new Date()).catch(() => false);
    if (adopted) result.toProcess.push(file);
  }
  return result;
}

/** Raw recordings and scratch copies on disk (at most BATCH each): the stored MP3s are not looked at. */
async function rawFiles(dir: string): Promise<{ files: RecordingToProcess[]; scratch: string[] }> {
  const out: RecordingToProcess[] = [];
  const scratch: string[] = [];
  const tenants = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const t of tenants) {
    if (!t.isDirectory() || !UUID.test(t.name)) continue;
    const names = await readdir(join(dir, t.name)).catch(() => [] as string[]);
    for (const name of names) {
      const callUuid = RAW_FILE.exec(name)?.[1];
      if (callUuid) out.push({ tenantId: t.name, callUuid, filePath: join(dir, t.name, name) });
      else if (SCRATCH.test(name) && scratch.length < BATCH) scratch.push(join(dir, t.name, name));
      if (out.length >= BATCH) return { files: out, scratch };
    }
  }
  return { files: out, scratch };
}

/** A raw file nobody recorded a row for, of a call that ended (its CDR, same tenant): a PROCESSING row. */
async function adoptFile(ctx: PlatformContext, file: RecordingToProcess, now: Date): Promise<boolean> {
  return runWrite(ctx, async (tx, record) => {
    const known = await tx.callRecording.findFirst({
      where: { callUuid: file.callUuid, OR: [{ filePath: file.filePath }, { sourcePath: file.filePath }] },
      select: { id: true },
    });
    if (known) return false;
    const cdr = await tx.cdr.findFirst({
      where: { tenantId: file.tenantId, callUuid: file.callUuid },
      select: { id: true, extensionNumber: true, tenant: { select: { recordingRetentionDays: true } } },
    });
    if (!cdr) return false;
    const extension = cdr.extensionNumber
      ? await tx.extension.findUnique({
          where: { tenantId_number: { tenantId: file.tenantId, number: cdr.extensionNumber } },
          select: { id: true },
        })
      : null;
    const after = await tx.callRecording.create({
      data: {
        tenantId: file.tenantId,
        callUuid: file.callUuid,
        filePath: file.filePath,
        format: 'wav',
        state: 'PROCESSING',
        extensionId: extension?.id ?? null,
        expiresAt: new Date(now.getTime() + cdr.tenant.recordingRetentionDays * 86_400_000),
      },
    });
    await tx.cdr.updateMany({
      where: { id: cdr.id, recordingId: null },
      data: { recordingId: after.id },
    });
    await record({
      action: 'recording.reconciled',
      entityType: 'recording',
      entityId: after.id,
      tenantId: file.tenantId,
      after,
      notify: false,
    });
    return true;
  });
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}
