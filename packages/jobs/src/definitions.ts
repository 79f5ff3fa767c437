import { createHash } from 'node:crypto';
import { MediaRefillPhase } from '@pbx/contracts';
import { z } from 'zod';

/**
 * Every job the platform runs: queue name, payload schema and retry policy in
 * one place. Payloads carry ids and paths, never file contents, and every
 * processor must tolerate being run twice for the same job id.
 */
export const jobs = {
  /** Housekeeping: expired portal sessions and old idempotency records. */
  maintenanceSweep: {
    queue: 'maintenance',
    name: 'sweep',
    payload: z
      .object({
        olderThanHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 30)
          .default(24),
      })
      .strict(),
    options: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 } },
  },
  /**
   * Scheduled, and continued at once while a pass has more to do: greetings and voicemail messages whose audio is
   * stored but whose file is gone from MEDIA_DIR are put back from the storage (a bounded number per run). `after`
   * is where a pass goes on; absent, a pass starts from the first row. `message`: only that one message (the
   * controller found its file missing when it was about to play it).
   */
  mediaRefill: {
    queue: 'maintenance',
    name: 'refill-media',
    payload: z
      .object({
        after: z
          .object({
            phase: MediaRefillPhase,
            afterId: z.uuid(),
          })
          .strict()
          .optional(),
        message: z.object({ tenantId: z.uuid(), messageId: z.uuid() }).strict().optional(),
      })
      .strict(),
    // The next scheduled pass is the retry. Removed when done, so a job id (a pass's row, a message) is free again.
    options: { attempts: 1, removeOnComplete: true, removeOnFail: true },
  },
  /** A recording finished (RECORD_STOP): measure/convert it and mark it READY. */
  recordingProcess: {
    queue: 'recordings',
    name: 'process',
    payload: z
      .object({
        tenantId: z.uuid(),
        callUuid: z.string().min(1).max(64),
        filePath: z.string().min(1).max(500),
      })
      .strict(),
    options: { attempts: 8, backoff: { type: 'exponential', delay: 10_000 } },
  },
  /**
   * Every minute: recordings whose RECORD_STOP was lost (the call ended while no controller was connected) are
   * found from their CDR and the recordings directory and handed to recordingProcess.
   */
  recordingReconcile: {
    queue: 'recordings',
    name: 'reconcile',
    payload: z.object({}).strict(),
    options: { attempts: 1 },
  },
  /** Every few seconds: enqueue the voicemail e-mails queued in the database (resends, lost enqueues). */
  voicemailOutbox: {
    queue: 'voicemail-email',
    name: 'outbox',
    payload: z.object({}).strict(),
    options: { attempts: 1 },
  },
  /**
   * A voicemail was left: store its audio's durable copy (storageKeys.voicemailMessage) and verify it. Enqueued by
   * the worker's outbox scan for every message not stored yet, one job id per message.
   */
  voicemailStore: {
    queue: 'voicemail-email',
    name: 'store',
    payload: z.object({ tenantId: z.uuid(), messageId: z.uuid() }).strict(),
    // Removed when done or failed: the row records the outcome, and a job that used up its attempts (storage down
    // for long) is offered again by the next outbox scan instead of blocking its job id.
    options: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: true,
      removeOnFail: true,
    },
  },
  /** A voicemail was left: e-mail it to the box owner (and delete it afterwards if the box says so). */
  voicemailEmail: {
    queue: 'voicemail-email',
    name: 'send',
    payload: z
      .object({
        tenantId: z.uuid(),
        messageId: z.uuid(),
        // The message's emailGeneration when enqueued (a resend bumps it; 0 for the first e-mail).
        generation: z.number().int().min(0).default(0),
      })
      .strict(),
    // Retries are the processor's own (attempts and backoff from the worker's config, counted in the
    // message row), so BullMQ's attempts only cover a worker that died mid-job (stalled jobs).
    options: { attempts: 3 },
  },
} as const;

/** One job per message and resend generation: a second enqueue of the same e-mail is ignored by BullMQ. */
export const voicemailEmailJobId = (messageId: string, generation = 0): string =>
  `vm_${messageId}_g${generation}`;

/** One store job per message: the outbox may offer the same message many times while the copy is pending. */
export const voicemailStoreJobId = (messageId: string): string => `vmstore_${messageId}`;

/** The job that goes on with a refill pass after `afterId`: two passes reaching the same row run it once. */
export const mediaRefillJobId = (phase: string, afterId: string): string => `mediarefill_${phase}_${afterId}`;

/** One refill of one message at a time, however many calls find its file missing meanwhile. */
export const mediaRefillMessageJobId = (messageId: string): string => `mediarefill_msg_${messageId}`;

/** The recordingProcess job id of one recording: same call + file → same job, whoever enqueues it. */
export function recordingJobId(callUuid: string, filePath: string): string {
  return `rec_${callUuid}_${createHash('sha256').update(filePath).digest('hex').slice(0, 16)}`;
}

export type JobKey = keyof typeof jobs;
export type JobPayload<K extends JobKey> = z.input<(typeof jobs)[K]['payload']>;
export type ParsedJobPayload<K extends JobKey> = z.output<(typeof jobs)[K]['payload']>;
