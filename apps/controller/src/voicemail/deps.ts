import type { Db } from '@pbx/db';
import type { ChangeNotifier, EnqueueVoicemailEmail } from '@pbx/domain';
import type { MediaLayout } from '@pbx/media';
import type { ObjectStorage } from '@pbx/storage';
import type { TransferTokens } from '../xml-curl/transfer-token.js';

type LogFn = (obj: object, msg: string) => void;

/** What a voicemail session needs from the controller (built once, shared by every call). */
export interface VoicemailDeps {
  prisma: Db;
  /** The domain's notification port (VoicemailChanged → MWI): the controller's `notify`. */
  notify: ChangeNotifier;
  /** `mediaLayout(config.MEDIA_DIR)`: where prompts, greetings and messages live on every node. */
  media: MediaLayout;
  /**
   * The storage the API and worker use: a greeting recorded by phone is stored there before it becomes current, so
   * the API's download serves it and the worker's media refill can put it back.
   */
  storage: ObjectStorage;
  /** `(payload, jobId) => jobs.enqueue('voicemailEmail', payload, jobId)`. */
  enqueueEmail: EnqueueVoicemailEmail;
  /** `jobs.enqueue('mediaRefill', { message }, mediaRefillMessageJobId(messageId))`: a message's file was missing. */
  enqueueRefill: (message: { tenantId: string; messageId: string }) => Promise<void>;
  log: { info: LogFn; warn: LogFn; error: LogFn };
  /** The clock (tests move it to expire a PIN lock without sleeping). */
  now: () => Date;
  /** Signs the transfer to a full box's fallback (xml-curl/transfer-token.ts), as IVR exits are. */
  transferTokens: TransferTokens;
  /** Shorter recordings are discarded (default 1000 ms). */
  minMessageMs?: number;
}
