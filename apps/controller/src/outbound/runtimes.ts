// The runtimes of the outbound socket, by the `pbx_app` value dialplan.ts sets: built once per controller from
// what they share (the database, the domain's notification port, the media layout, the job queues).
import type { Db } from '@pbx/db';
import type { ChangeNotifier } from '@pbx/domain';
import { mediaRefillMessageJobId, type JobQueues } from '@pbx/jobs';
import type { MediaLayout } from '@pbx/media';
import type { ObjectStorage } from '@pbx/storage';
import { ivrHandler } from '../ivr/run-ivr.js';
import { voicemailHandler, type VoicemailDeps } from '../voicemail/index.js';
import type { TransferTokens } from '../xml-curl/transfer-token.js';
import type { SessionHandlers } from './dispatch.js';

export type RuntimeDeps = {
  prisma: Db;
  notify: ChangeNotifier;
  media: MediaLayout;
  transferTokens: TransferTokens;
  /** Voicemail e-mail jobs (the worker sends them) and refills of messages found missing. */
  queues: Pick<JobQueues, 'enqueue'>;
  /** Greetings recorded by phone are stored here (VoicemailDeps.storage). */
  storage: ObjectStorage;
  log: VoicemailDeps['log'];
  now: () => Date;
};

export function outboundRuntimes(d: RuntimeDeps): SessionHandlers {
  const voicemail: VoicemailDeps = {
    prisma: d.prisma,
    notify: d.notify,
    media: d.media,
    storage: d.storage,
    enqueueEmail: (payload, jobId) => d.queues.enqueue('voicemailEmail', payload, jobId),
    enqueueRefill: (message) =>
      d.queues.enqueue('mediaRefill', { message }, mediaRefillMessageJobId(message.messageId)),
    log: d.log,
    now: d.now,
    transferTokens: d.transferTokens,
  };
  return {
    ivr: ivrHandler({ prisma: d.prisma, transferTokens: d.transferTokens }),
    voicemail: voicemailHandler(voicemail),
  };
}
