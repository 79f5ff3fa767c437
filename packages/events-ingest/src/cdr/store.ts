import type { Db } from '@pbx/db';
import type { CdrRow } from './build.js';

export type CdrWriteResult = { callUuid: string; tenantId: string; inserted: boolean };

// The row travels as one jsonb array (one parameter, one statement text whatever the batch size).
const UPSERT_CDRS = `
  INSERT INTO "Cdr" (
    "id", "tenantId", "callUuid", "bridgeUuid", "direction", "fromNumber", "fromName", "toNumber",
    "did", "extensionNumber", "startedAt", "answeredAt", "endedAt", "durationSec", "billsec",
    "hangupCause", "blockedReason", "trunkAttempts", "recordingId"
  )
  SELECT
    gen_random_uuid(), v."tenantId", v."callUuid", v."bridgeUuid", v."direction"::"CallDirection",
    v."fromNumber", v."fromName", v."toNumber", v."did", v."extensionNumber", v."startedAt",
    v."answeredAt", v."endedAt", v."durationSec", v."billsec", v."hangupCause", v."blockedReason",
    v."trunkAttempts",
    (SELECT r."id" FROM "CallRecording" r
      WHERE r."callUuid" = v."callUuid" AND r."tenantId" = v."tenantId" AND r."state" <> 'DELETED'
      ORDER BY r."createdAt" LIMIT 1)
  FROM jsonb_to_recordset($1::jsonb) AS v(
    "tenantId" uuid, "callUuid" text, "bridgeUuid" text, "direction" text, "fromNumber" text,
    "fromName" text, "toNumber" text, "did" text, "extensionNumber" text, "startedAt" timestamptz,
    "answeredAt" timestamptz, "endedAt" timestamptz, "durationSec" int, "billsec" int,
    "hangupCause" text, "blockedReason" text, "trunkAttempts" jsonb
  )
  ON CONFLICT ("callUuid") DO UPDATE SET
    "bridgeUuid" = COALESCE("Cdr"."bridgeUuid", EXCLUDED."bridgeUuid"),
    "answeredAt" = COALESCE("Cdr"."answeredAt", EXCLUDED."answeredAt"),
    "did" = COALESCE("Cdr"."did", EXCLUDED."did"),
    "extensionNumber" = COALESCE("Cdr"."extensionNumber", EXCLUDED."extensionNumber"),
    "blockedReason" = COALESCE("Cdr"."blockedReason", EXCLUDED."blockedReason"),
    "trunkAttempts" = COALESCE("Cdr"."trunkAttempts", EXCLUDED."trunkAttempts"),
    "recordingId" = COALESCE("Cdr"."recordingId", EXCLUDED."recordingId")
  WHERE "Cdr"."tenantId" = EXCLUDED."tenantId"
  RETURNING "callUuid", (xmax = 0) AS inserted`;

/**
 * Writes legs exactly once: the call UUID is unique, so the HTTP path, the
 * event path, retries and a second controller all land on the same row. A
 * later copy only fills fields the first one lacked (e.g. the recording, or
 * an answer time), never overwrites, and never touches another tenant's row.
 *
 * Any number of rows in one statement in autocommit: when this resolves they
 * are all committed, and if it rejects none is. The call UUIDs must be
 * distinct (PostgreSQL refuses to update one row twice in a statement); rows
 * are written in call UUID order, so two writers' batches never deadlock on
 * each other. Returns, per call UUID, whether its row was inserted (false: it
 * existed, or belongs to another tenant and was left alone).
 */
export async function writeCdrs(prisma: Db, rows: readonly CdrRow[]): Promise<Map<string, boolean>> {
  const inserted = new Map<string, boolean>();
  if (rows.length === 0) return inserted;
  const sorted = [...rows].sort((a, b) => (a.callUuid < b.callUuid ? -1 : a.callUuid > b.callUuid ? 1 : 0));
  const result = await prisma.$queryRawUnsafe<{ callUuid: string; inserted: boolean }[]>(
    UPSERT_CDRS,
    rowsJson(sorted),
  );
  for (const row of rows) inserted.set(row.callUuid, false);
  for (const r of result) inserted.set(r.callUuid, r.inserted);
  return inserted;
}

/** One leg (see writeCdrs): when this resolves the row is committed. */
export async function writeCdr(prisma: Db, row: CdrRow): Promise<CdrWriteResult> {
  const inserted = await writeCdrs(prisma, [row]);
  return { callUuid: row.callUuid, tenantId: row.tenantId, inserted: inserted.get(row.callUuid) ?? false };
}

function rowsJson(rows: readonly CdrRow[]): string {
  // Plain rows serialize on JSON.stringify's fast path; keys the statement does not name are ignored by it.
  const json = JSON.stringify(rows);
  // JSON.stringify escapes a lone UTF-16 surrogate as \udXXX, which jsonb refuses; the old
  // one-parameter-per-field statement stored U+FFFD instead (UTF-8 encoding), so do the same.
  return json.includes('\\ud') ? JSON.stringify(rows.map(wellFormedRow)) : json;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function wellFormedRow(row: CdrRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row))
    out[k] = typeof v === 'string' ? v.replace(LONE_SURROGATE, '\ufffd') : v;
  return out;
}
