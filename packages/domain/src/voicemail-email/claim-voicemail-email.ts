import type { VoicemailBox, VoicemailMessage } from '@pbx/db';
import type { PlatformContext } from '../context.js';
import { runWrite } from '../shared/run-write.js';

export type EmailClaim =
  | { kind: 'skip'; reason: 'gone' | 'sent' | 'failed' | 'no-address' | 'stale-generation' }
  /** Another job holds the claim; the caller retries later (it may be a dead worker's, see the lease). */
  | { kind: 'busy'; heldBy: string }
  | {
      kind: 'send';
      message: VoicemailMessage;
      box: VoicemailBox;
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

/**
 * Step 1 of sending a voicemail e-mail: move the message to SENDING under this job's id, in one
 * transaction with a row lock, so two jobs for one message never both reach the SMTP server. Nothing is
 * audited here: the outcome (sent / failed) is.
 */
export async function claimVoicemailEmail(ctx: PlatformContext, input: ClaimInput): Promise<EmailClaim> {
  return runWrite(ctx, async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "VoicemailMessage"
      WHERE "id" = ${input.messageId}::uuid AND "tenantId" = ${input.tenantId}::uuid FOR UPDATE`;
    if (locked.length === 0) return { kind: 'skip', reason: 'gone' } as const;
    const message = await tx.voicemailMessage.findUniqueOrThrow({
      where: { id: input.messageId },
      include: {
        box: true,
        tenant: { select: { id: true, name: true, domain: true, timeZone: true, emailFrom: true } },
      },
    });
    if (message.emailGeneration !== input.generation)
      return { kind: 'skip', reason: 'stale-generation' } as const;
    if (message.emailState === 'SENT') return { kind: 'skip', reason: 'sent' } as const;
    if (message.emailState === 'FAILED') return { kind: 'skip', reason: 'failed' } as const;
    const { box, tenant, ...row } = message;
    if (!box.email) {
      await tx.voicemailMessage.update({
        where: { id: row.id },
        data: { emailState: 'NOT_REQUIRED', emailJobId: null },
      });
      return { kind: 'skip', reason: 'no-address' } as const;
    }
    const reclaimed = row.emailState === 'SENDING' && row.emailJobId === input.jobId;
    if (row.emailState === 'SENDING' && !reclaimed && row.emailJobId) {
      const claimedAt = row.emailedAt?.getTime() ?? 0;
      if (input.now.getTime() - claimedAt < input.leaseMs)
        return { kind: 'busy', heldBy: row.emailJobId } as const;
    }
    // emailedAt doubles as "claimed at" while SENDING; SENT overwrites it with the acceptance time.
    const claimed = await tx.voicemailMessage.update({
      where: { id: row.id },
      data: {
        emailState: 'SENDING',
        emailJobId: input.jobId,
        emailedAt: input.now,
        emailAttempts: { increment: 1 },
      },
    });
    return { kind: 'send', message: claimed, box, tenant, reclaimed } as const;
  });
}
