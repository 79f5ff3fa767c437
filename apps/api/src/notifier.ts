import { ConfigChangedSchema, configChangedChannel, type ConfigChanged } from '@pbx/contracts';
import type { ChangeNotifier } from '@pbx/domain';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

/**
 * Publishes ConfigChanged after each committed write. A failed publish is
 * logged, not thrown: the write is already committed, and controllers also
 * expire their caches on their own.
 */
export function redisNotifier(redis: Redis, prefix: string, log: () => FastifyBaseLogger): ChangeNotifier {
  const channel = configChangedChannel(prefix);
  return async (change: ConfigChanged) => {
    try {
      await redis.publish(channel, JSON.stringify(ConfigChangedSchema.parse(change)));
    } catch (error) {
      log().error(
        { err: error, entity: change.entity, tenantId: change.tenantId },
        'could not publish config-changed',
      );
    }
  };
}
