import type { Db } from '@pbx/db';
import { recordingJobId, type JobQueues } from '@pbx/jobs';
import { classifyDirection, hostOf, resolveLegTenant } from '../classify.js';
import { UnknownTenantError } from '../errors.js';
import { channelVariables, eventName, header, type EslHeaders } from '../event.js';
import { createTenantResolver, type TenantResolver } from '../tenants.js';

export type RecordingDeps = {
  prisma: Db;
  queues: Pick<JobQueues, 'enqueue'>;
  tenants?: TenantResolver;
};

export type RecordStopResult =
  | { action: 'ignored'; reason: string }
  | { action: 'processing' | 'discarded' | 'already-done'; recordingId: string; jobId: string | null };

export { recordingJobId };

/** RECORD_START: the row appears as RECORDING so the call's page can show "recording…". Idempotent. */
export async function onRecordStart(
  deps: Omit<RecordingDeps, 'queues'> & { event: EslHeaders },
): Promise<RecordStopResult> {
  return upsertRecording({ ...deps, queues: null }, deps.event, 'RECORD_START');
}

/**
 * RECORD_STOP: the CallRecording row (PROCESSING, unless FreeSWITCH discarded
 * an empty file) is committed, linked to the call's CDR if that exists
 * already, and `recordingProcess` is enqueued with a job id derived from
 * call UUID + path, so re-delivered events and a second controller add no
 * second job. A recording already READY/FAILED/DELETED is left alone.
 */
export async function onRecordStop(deps: RecordingDeps & { event: EslHeaders }): Promise<RecordStopResult> {
  return upsertRecording(deps, deps.event, 'RECORD_STOP');
}

async function upsertRecording(
  deps: { prisma: Db; queues: Pick<JobQueues, 'enqueue'> | null; tenants?: TenantResolver },
  event: EslHeaders,
  expected: 'RECORD_START' | 'RECORD_STOP',
): Promise<RecordStopResult> {
  const { prisma } = deps;
  if (eventName(event) !== expected) return { action: 'ignored', reason: `not ${expected}` };
  const callUuid = header(event, 'Unique-ID');
  const filePath = header(event, 'Record-File-Path');
  if (!callUuid || !filePath) return { action: 'ignored', reason: 'no Unique-ID or Record-File-Path' };
  if (filePath.length > 500) return { action: 'ignored', reason: 'file path longer than 500 characters' };
  const vars = channelVariables(event);
  const caller = header(event, 'Caller-Caller-ID-Number') ?? '';
  const dest = header(event, 'Caller-Destination-Number') ?? '';
  const direction = classifyDirection(vars, caller, dest);
  const { tenant, hints } = await resolveLegTenant(
    deps.tenants ?? createTenantResolver(prisma, { ttlMs: 0 }),
    vars,
    {
      extraDomains: [hostOf(header(event, 'Channel-Presence-ID')), hostOf(header(event, 'Channel-Name'))],
      did: direction === 'INBOUND' ? dest : undefined,
    },
  );
  if (!tenant) throw new UnknownTenantError(callUuid, hints);

  const extNumber = vars.pbx_extension ?? vars.user_name ?? vars.dialed_user;
  const [settings, extension] = await Promise.all([
    prisma.tenant.findUnique({ where: { id: tenant.id }, select: { recordingRetentionDays: true } }),
    extNumber
      ? prisma.extension.findUnique({
          where: { tenantId_number: { tenantId: tenant.id, number: extNumber } },
          select: { id: true },
        })
      : null,
  ]);
  const discarded = vars.RECORD_DISCARDED === 'true';
  const state = expected === 'RECORD_START' ? 'RECORDING' : discarded ? 'FAILED' : 'PROCESSING';
  const error = state === 'FAILED' ? 'FreeSWITCH discarded the recording (empty or too short)' : null;
  const seconds = Number(vars.record_seconds);
  const durationSec =
    expected === 'RECORD_STOP' && Number.isInteger(seconds) && seconds >= 0 ? seconds : null;
  const format = (/\.([a-z0-9]{1,8})$/i.exec(filePath)?.[1] ?? 'wav').toLowerCase();
  const expiresAt = new Date(Date.now() + (settings?.recordingRetentionDays ?? 90) * 86_400_000);

  const rows = await prisma.$queryRaw<{ id: string; state: string }[]>`
    INSERT INTO "CallRecording" (
      "id", "tenantId", "callUuid", "extensionId", "filePath", "format", "durationSec", "state", "error",
      "expiresAt", "createdAt", "updatedAt"
    ) VALUES (
      gen_random_uuid(), ${tenant.id}::uuid, ${callUuid}, ${extension?.id ?? null}::uuid, ${filePath}, ${format},
      ${durationSec}, ${state}::"RecordingState", ${error}, ${expiresAt}, now(), now()
    )
    ON CONFLICT ("callUuid", "filePath") DO UPDATE SET
      "state" = CASE WHEN "CallRecording"."state" = 'RECORDING' THEN EXCLUDED."state" ELSE "CallRecording"."state" END,
      "error" = CASE WHEN "CallRecording"."state" = 'RECORDING' THEN EXCLUDED."error" ELSE "CallRecording"."error" END,
      "durationSec" = COALESCE(EXCLUDED."durationSec", "CallRecording"."durationSec"),
      "extensionId" = COALESCE("CallRecording"."extensionId", EXCLUDED."extensionId"),
      "updatedAt" = now()
    WHERE "CallRecording"."tenantId" = EXCLUDED."tenantId"
    RETURNING "id", "state"::text AS "state"`;
  const row = rows[0];
  if (!row) return { action: 'ignored', reason: 'recording belongs to another tenant' };

  // The CDR may have been written first (json_cdr can beat RECORD_STOP): link it now.
  await prisma.$executeRaw`
    UPDATE "Cdr" SET "recordingId" = ${row.id}::uuid
    WHERE "callUuid" = ${callUuid} AND "tenantId" = ${tenant.id}::uuid AND "recordingId" IS NULL`;

  if (expected === 'RECORD_START') return { action: 'processing', recordingId: row.id, jobId: null };
  if (row.state === 'FAILED' && discarded) return { action: 'discarded', recordingId: row.id, jobId: null };
  if (row.state !== 'PROCESSING') return { action: 'already-done', recordingId: row.id, jobId: null };
  const jobId = recordingJobId(callUuid, filePath);
  await deps.queues?.enqueue('recordingProcess', { tenantId: tenant.id, callUuid, filePath }, jobId);
  return { action: 'processing', recordingId: row.id, jobId };
}
