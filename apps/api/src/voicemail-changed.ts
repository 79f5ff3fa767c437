import { VoicemailChangedSchema, voicemailChangedChannel, type VoicemailChanged } from '@pbx/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

export type VoicemailChangedNotifier = (change: VoicemailChanged) => Promise<void>;

/**
 * Tells the controllers that a box's message counts changed (read, unread, deleted) so they update
 * the phones' message-waiting lamp. Like ConfigChanged, a failed publish is logged, not thrown: the write is committed.
 */
export function voicemailChangedNotifier(
  redis: Redis,
  prefix: string,
  log: () => FastifyBaseLogger,
): VoicemailChangedNotifier {
  const channel = voicemailChangedChannel(prefix);
  return async (change) => {
    try {
      await redis.publish(channel, JSON.stringify(VoicemailChangedSchema.parse(change)));
    } catch (error) {
      log().error(
        { err: error, boxId: change.boxId, tenantId: change.tenantId },
        'could not publish voicemail-changed',
      );
    }
  };
}
