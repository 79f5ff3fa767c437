import type { VoicemailBox, VoicemailMessage } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { runWrite } from '../shared/run-write.js';

/** What composing and sending the e-mail needs of the message, its box and its tenant. */
export type ClaimedMessage = Pick<
  VoicemailMessage,
  | 'id'
  | 'tenantId'
  | 'boxId'
  | 'callerIdName'
  | 'callerIdNumber'
  | 'durationSec'
  | 'filePath'
  | 'format'
  | 'createdAt'
  | 'emailGeneration'
  | 'emailAttempts'
>;

export type EmailClaim =
  | { kind: 'skip'; reason: 'gone' | 'sent' | 'failed' | 'no-address' | 'stale-generation' }
  /** Another job holds the claim; the caller retries later (it may be a dead worker's, see the lease). */
  | { kind: 'busy'; heldBy: string }
  | {
      kind: 'send';
      message: ClaimedMessage;
      box: Pick<VoicemailBox, 'id' | 'number' | 'name' | 'email' | 'attachAudio'>;
      tenant: { id: string; name: string; domain: string; timeZone: string; emailFrom: string | null };
      /** True when this job had already claimed it: an earlier run of the same job died mid-send. */
      reclaimed: boolean;
    };

export type ClaimInput = {
  tenantId: string;
  messageId: string;
  /** The job's id; SENDING rows remember it so a second job for the same message backs off. */
  jobId: string;
  /** The generation the job was enqueued for (a resend bumps it); an older job has nothing to do. */
  generation: number;
  /** A claim older than this is a dead worker's: it may be taken over. */
  leaseMs: number;
  now: Date;
};

type Verdict = 'send' | 'busy' | 'sent' | 'failed' | 'no-address' | 'stale-generation';

type ClaimRow = {
  verdict: Verdict;
  reclaimed: boolean;
  heldBy: string | null;
} & ClaimedMessage & {
    boxNumber: string;
    boxName: string;
    boxEmail: string | null;
    attachAudio: boolean;
    tenantName: string;
    tenantDomain: string;
    timeZone: string;
    emailFrom: string | null;
  };

/**
 * Step 1 of sending a voicemail e-mail: move the message to SENDING under this job's id, so two jobs for one message
 * never both reach the SMTP server. One statement (one round trip, the e-mail's hottest path): it locks the row
 * (FOR UPDATE; a concurrent claim waits and then sees this one's result), decides, updates and returns what the
 * e-mail needs. Nothing is audited here: the outcome (sent / failed) is.
 */
export async function claimVoicemailEmail(ctx: PlatformContext, input: ClaimInput): Promise<EmailClaim> {
  const leaseStart = new Date(input.now.getTime() - input.leaseMs);
  return runWrite(ctx, async (tx) => {
    // FOR UPDATE re-reads the row once a concurrent claim commits (READ COMMITTED), so the verdict sees it.
    // emailedAt doubles as "claimed at" while SENDING; SENT overwrites it with the acceptance time. A box without an
    // address makes the message NOT_REQUIRED.
    const rows = await tx.$queryRaw<ClaimRow[]>`
      WITH cur AS (
        SELECT m."id", m."tenantId", m."boxId", m."callerIdName", m."callerIdNumber", m."durationSec", m."filePath",
          m."format", m."createdAt", m."emailGeneration", m."emailAttempts", m."emailState", m."emailJobId",
          m."emailedAt", b."number" AS "boxNumber", b."name" AS "boxName", b."email" AS "boxEmail", b."attachAudio",
          t."name" AS "tenantName", t."domain" AS "tenantDomain", t."timeZone", t."emailFrom"
        FROM "VoicemailMessage" m
        JOIN "VoicemailBox" b ON b."id" = m."boxId"
        JOIN "Tenant" t ON t."id" = m."tenantId"
        WHERE m."id" = ${input.messageId}::uuid AND m."tenantId" = ${input.tenantId}::uuid
        FOR UPDATE OF m
      ), verdict AS (
        SELECT "id",
          ("emailState" = 'SENDING' AND "emailJobId" IS NOT DISTINCT FROM ${input.jobId}::text) AS "reclaimed",
          CASE
            WHEN "emailGeneration" <> ${input.generation}::int THEN 'stale-generation'
            WHEN "emailState" = 'SENT' THEN 'sent'
            WHEN "emailState" = 'FAILED' THEN 'failed'
            WHEN "boxEmail" IS NULL THEN 'no-address'
            WHEN "emailState" = 'SENDING' AND "emailJobId" IS NOT NULL AND "emailJobId" <> ${input.jobId}::text
              AND COALESCE("emailedAt", 'epoch') > ${leaseStart}::timestamptz THEN 'busy'
            ELSE 'send'
          END AS "verdict"
        FROM cur
      ), claimed AS (
        UPDATE "VoicemailMessage" m SET
          "emailState" = (CASE WHEN v."verdict" = 'send' THEN 'SENDING' ELSE 'NOT_REQUIRED' END)::"EmailDeliveryState",
          "emailJobId" = CASE WHEN v."verdict" = 'send' THEN ${input.jobId}::text END,
          "emailedAt" = CASE WHEN v."verdict" = 'send' THEN ${input.now}::timestamptz ELSE m."emailedAt" END,
          "emailAttempts" = m."emailAttempts" + CASE WHEN v."verdict" = 'send' THEN 1 ELSE 0 END
        FROM verdict v
        WHERE m."id" = v."id" AND v."verdict" IN ('send', 'no-address')
        RETURNING m."id", m."emailAttempts"
      )
      SELECT v."verdict", v."reclaimed", cur."emailJobId" AS "heldBy", cur."id", cur."tenantId", cur."boxId",
        cur."callerIdName", cur."callerIdNumber", cur."durationSec", cur."filePath", cur."format", cur."createdAt",
        cur."emailGeneration", COALESCE(c."emailAttempts", cur."emailAttempts") AS "emailAttempts", cur."boxNumber",
        cur."boxName", cur."boxEmail", cur."attachAudio", cur."tenantName", cur."tenantDomain", cur."timeZone",
        cur."emailFrom"
      FROM cur JOIN verdict v ON v."id" = cur."id" LEFT JOIN claimed c ON c."id" = cur."id"`;
    const row = rows[0];
    if (!row) return { kind: 'skip', reason: 'gone' } as const;
    if (row.verdict === 'busy') return { kind: 'busy', heldBy: row.heldBy ?? '' } as const;
    if (row.verdict !== 'send') return { kind: 'skip', reason: row.verdict } as const;
    return {
      kind: 'send',
      message: {
        id: row.id,
        tenantId: row.tenantId,
        boxId: row.boxId,
        callerIdName: row.callerIdName,
        callerIdNumber: row.callerIdNumber,
        durationSec: row.durationSec,
        filePath: row.filePath,
        format: row.format,
        createdAt: row.createdAt,
        emailGeneration: row.emailGeneration,
        emailAttempts: row.emailAttempts,
      },
      box: {
        id: row.boxId,
        number: row.boxNumber,
        name: row.boxName,
        email: row.boxEmail,
        attachAudio: row.attachAudio,
      },
      tenant: {
        id: row.tenantId,
        name: row.tenantName,
        domain: row.tenantDomain,
        timeZone: row.timeZone,
        emailFrom: row.emailFrom,
      },
      reclaimed: row.reclaimed,
    };
  });
}
