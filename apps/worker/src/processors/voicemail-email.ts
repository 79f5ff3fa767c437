import { stat } from 'node:fs/promises';
import { claimVoicemailEmail, recordEmailFailure, recordEmailSent, type PlatformContext } from '@pbx/domain';
import { jobs } from '@pbx/jobs';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { ObjectStorage } from '@pbx/storage';
import type { Transporter } from 'nodemailer';
import type { WorkerConfig } from '../config.js';
import { composeVoicemailEmail } from '../voicemail-email/compose.js';
import { classifySmtpError } from '../voicemail-email/smtp-errors.js';

export type VoicemailEmailDeps = {
  ctx: PlatformContext;
  transport: Pick<Transporter, 'sendMail'>;
  /** Where the message's durable copy is removed when the box deletes after e-mail. */
  storage: ObjectStorage;
  config: Pick<
    WorkerConfig,
    | 'MAIL_FROM'
    | 'PORTAL_URL'
    | 'VOICEMAIL_EMAIL_MAX_ATTACHMENT_BYTES'
    | 'VOICEMAIL_EMAIL_ATTEMPTS'
    | 'VOICEMAIL_EMAIL_RETRY_BASE_MS'
    | 'JOB_LOCK_MS'
  >;
  log: (line: string) => void;
};

export type VoicemailEmailResult =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'sent'; messageId: string; attached: boolean; deleted: boolean };

/**
 * Sends one voicemail e-mail, exactly once as far as SMTP allows:
 * 1. claim: the row goes to SENDING under this job's id (a second job for the message backs off);
 * 2. send with a Message-ID fixed by message + generation;
 * 3. record SENT (and delete the message if the box says so) only after the server accepted.
 * A worker killed between 2 and 3 leaves the row SENDING under this job id; BullMQ hands the stalled job
 * to another worker, which re-sends with the same Message-ID (see apps/worker/README.md, "crash window").
 * Temporary failures are retried here (row RETRYING, job delayed by the configured backoff); permanent
 * ones, or the last attempt, mark the message FAILED and fail the job without retry.
 */
export function voicemailEmailProcessor(deps: VoicemailEmailDeps) {
  const { ctx, config } = deps;
  return async (job: Job, token?: string): Promise<VoicemailEmailResult> => {
    const payload = jobs.voicemailEmail.payload.parse(job.data);
    const jobId = job.id ?? `vm_${payload.messageId}`;
    const key = { tenantId: payload.tenantId, messageId: payload.messageId, jobId };
    const claim = await claimVoicemailEmail(ctx, {
      ...key,
      generation: payload.generation,
      leaseMs: config.JOB_LOCK_MS * 2,
      now: new Date(),
    });
    if (claim.kind === 'skip') return { outcome: 'skipped', reason: claim.reason };
    if (claim.kind === 'busy') {
      await job.moveToDelayed(Date.now() + config.JOB_LOCK_MS, token);
      throw new DelayedError(`held by job ${claim.heldBy}`);
    }
    if (claim.reclaimed) deps.log(`voicemail e-mail ${jobId}: resuming after a worker died mid-send`);

    const size = await stat(claim.message.filePath).then(
      (s) => s.size,
      () => null,
    );
    const audio = !claim.box.attachAudio
      ? 'not-wanted'
      : size === null
        ? 'missing'
        : size > config.VOICEMAIL_EMAIL_MAX_ATTACHMENT_BYTES
          ? 'too-large'
          : 'attached';
    const mail = composeVoicemailEmail(claim, {
      mailFrom: config.MAIL_FROM,
      portalUrl: config.PORTAL_URL,
      audio,
    });

    let info: { messageId: string; response: string };
    try {
      info = (await deps.transport.sendMail(mail)) as { messageId: string; response: string };
    } catch (error) {
      const failure = classifySmtpError(error);
      const attempt = claim.message.emailAttempts;
      const final = failure.permanent || attempt >= config.VOICEMAIL_EMAIL_ATTEMPTS;
      await recordEmailFailure(ctx, { ...key, error: failure.reason, final });
      if (final)
        throw new UnrecoverableError(
          `${failure.permanent ? 'rejected' : `gave up after ${attempt} attempts`}: ${failure.reason}`,
        );
      const delay = Math.min(config.VOICEMAIL_EMAIL_RETRY_BASE_MS * 2 ** (attempt - 1), 3_600_000);
      await job.moveToDelayed(Date.now() + delay, token);
      throw new DelayedError(`retry in ${delay} ms: ${failure.reason}`);
    }
    const sent = await recordEmailSent(
      ctx,
      { ...key, smtpMessageId: info.messageId, response: info.response, now: new Date() },
      deps.storage,
    );
    return {
      outcome: 'sent',
      messageId: info.messageId,
      attached: audio === 'attached',
      deleted: sent.deleted,
    };
  };
}
