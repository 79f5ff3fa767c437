import { ConfigChangedSchema, configChangedChannel, type ConfigChanged } from '@pbx/contracts';
import type { Redis } from 'ioredis';
import type { TenantCache } from './tenant-cache.js';

type Log = { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void };

/**
 * Listens for the API's ConfigChanged messages and drops the tenant's cached
 * snapshot, so the next REGISTER or call sees the change. After a Redis
 * reconnect everything is invalidated, because messages sent meanwhile are lost.
 */
export async function subscribeInvalidation(
  subscriber: Redis,
  prefix: string,
  cache: TenantCache,
  log: Log,
): Promise<() => Promise<void>> {
  const channel = configChangedChannel(prefix);
  let connectedOnce = false;
  const onMessage = (ch: string, raw: string) => {
    if (ch !== channel) return;
    let msg: ConfigChanged;
    try {
      msg = ConfigChangedSchema.parse(JSON.parse(raw));
    } catch {
      log.warn({ channel }, 'ignoring malformed config-changed message');
      return;
    }
    cache.invalidateTenant(msg.domain.toLowerCase(), msg.previousDomain?.toLowerCase());
  };
  const onReady = () => {
    if (connectedOnce) {
      log.info({ channel }, 'redis reconnected: invalidating every cached tenant');
      cache.invalidateAll();
    }
    connectedOnce = true;
  };
  subscriber.on('message', onMessage);
  subscriber.on('ready', onReady);
  await subscriber.subscribe(channel);
  connectedOnce = true;
  return async () => {
    subscriber.off('message', onMessage);
    subscriber.off('ready', onReady);
    await subscriber.unsubscribe(channel).catch(() => undefined);
  };
}
