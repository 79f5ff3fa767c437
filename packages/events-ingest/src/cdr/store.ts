import type { Db } from '@pbx/db';
import type { CdrRow } from './build.js';

export type CdrWriteResult = { callUuid: string; tenantId: string; inserted: boolean };

/**
 * Writes one leg exactly once: the call UUID is unique, so the HTTP path, the
 * event path, retries and a second controller all land on the same row. A
 * later copy only fills fields the first one lacked (e.g. the recording, or
 * an answer time), never overwrites, and never touches another tenant's row.
 * One statement in autocommit: when this resolves the row is committed.
 */
export async function writeCdr(prisma: Db, row: CdrRow): Promise<CdrWriteResult> {
  const result = await prisma.$queryRaw<{ inserted: boolean }[]>`
    INSERT INTO "Cdr" (
      "id", "tenantId", "callUuid", "bridgeUuid", "direction", "fromNumber", "fromName", "toNumber",
      "did", "extensionNumber", "startedAt", "answeredAt", "endedAt", "durationSec", "billsec",
      "hangupCause", "blockedReason", "recordingId"
    ) VALUES (
      gen_random_uuid(), ${row.tenantId}::uuid, ${row.callUuid}, ${row.bridgeUuid},
      ${row.direction}::"CallDirection", ${row.fromNumber}, ${row.fromName}, ${row.toNumber},
      ${row.did}, ${row.extensionNumber}, ${row.startedAt}, ${row.answeredAt}, ${row.endedAt},
      ${row.durationSec}, ${row.billsec}, ${row.hangupCause}, ${row.blockedReason},
      (SELECT r."id" FROM "CallRecording" r
        WHERE r."callUuid" = ${row.callUuid} AND r."tenantId" = ${row.tenantId}::uuid AND r."state" <> 'DELETED'
        ORDER BY r."createdAt" LIMIT 1)
    )
    ON CONFLICT ("callUuid") DO UPDATE SET
      "bridgeUuid" = COALESCE("Cdr"."bridgeUuid", EXCLUDED."bridgeUuid"),
      "answeredAt" = COALESCE("Cdr"."answeredAt", EXCLUDED."answeredAt"),
      "did" = COALESCE("Cdr"."did", EXCLUDED."did"),
      "extensionNumber" = COALESCE("Cdr"."extensionNumber", EXCLUDED."extensionNumber"),
      "blockedReason" = COALESCE("Cdr"."blockedReason", EXCLUDED."blockedReason"),
      "recordingId" = COALESCE("Cdr"."recordingId", EXCLUDED."recordingId")
    WHERE "Cdr"."tenantId" = EXCLUDED."tenantId"
    RETURNING (xmax = 0) AS inserted`;
  return { callUuid: row.callUuid, tenantId: row.tenantId, inserted: result[0]?.inserted ?? false };
}
