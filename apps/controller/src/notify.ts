import type { ChangeNotifier } from '@pbx/domain';
import { redisNotificationPublisher } from '@pbx/jobs/notifications';
import type { Redis } from 'ioredis';
import type { TenantCache } from './tenant-cache.js';

type Log = { error: (obj: object, msg: string) => void };

/**
 * The domain's `notify` in the controller (its writes are feature codes): this controller's cache is dropped at once,
 * so the phone's next call already sees the change even without Redis, and every other process is told through the
 * shared publisher.
 */
export function controllerNotifier(
  cache: TenantCache,
  publisher: Redis | undefined,
  prefix: string,
  log: () => Log,
): ChangeNotifier {
  const publish = publisher ? redisNotificationPublisher(publisher, prefix, log) : undefined;
  return async (n) => {
    if (n.kind === 'config')
      cache.invalidateTenant(n.change.domain.toLowerCase(), n.change.previousDomain?.toLowerCase());
    await publish?.(n);
  };
}
