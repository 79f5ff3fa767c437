import type { MediaLayout } from '@pbx/media';
import type { ObjectStorage } from '@pbx/storage';
import type { PlatformContext } from '../context.js';
import { refillOne, type RefillOutcome } from './refill-media.js';
import { storedMessage } from './stored-media.js';

/**
 * Puts one voicemail message's file back from its stored copy, as refillMedia does for every file: the message is
 * looked up in the given tenant only, and its place derived from that row. 'present': its file is there;
 * 'not-stored': no such message with a stored copy in that tenant (deleted, not stored yet, another tenant's id).
 */
export async function refillVoicemailMessage(
  ctx: PlatformContext,
  input: {
    layout: MediaLayout;
    storage: ObjectStorage;
    tenantId: string;
    messageId: string;
    log: (line: string) => void;
  },
): Promise<RefillOutcome | 'present' | 'not-stored'> {
  const media = await storedMessage(ctx.db, input.layout, input);
  if (!media) return 'not-stored';
  const outcome = await refillOne(ctx, media, input.storage).catch((error: unknown) => {
    input.log(
      `media refill: voicemail message ${input.messageId} of tenant ${input.tenantId}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 'failed' as const;
  });
  if (outcome === 'refilled')
    input.log(
      `media refill: voicemail message ${input.messageId} of tenant ${input.tenantId} put back at ${media.path}`,
    );
  if (outcome === 'missing-object')
    input.log(
      `media refill: voicemail message ${input.messageId} of tenant ${input.tenantId} is missing and so is its stored copy ${media.key}`,
    );
  return outcome ?? 'present';
}
