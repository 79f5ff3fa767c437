import { ConfigChangedSchema, configChangedChannel, type ConfigChanged } from '@pbx/contracts';
import type { Redis } from 'ioredis';
import type { TenantSnapshot } from '@pbx/domain/routing';
import type { TenantCache } from './tenant-cache.js';

type Snap = TenantSnapshot | null | undefined;

/** Told about every change after the cache dropped the tenant, with what the cache held before. */
export type ChangeHooks = {
  changed(msg: ConfigChanged, before: { domain: Snap; previous: Snap }): void;
  /** ConfigChanged messages may have been lost (the subscription reconnected). */
  resync(): void;
};

type Log = { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void };

/**
 * Listens for the API's ConfigChanged messages and drops the tenant's cached
 * snapshot, so the next REGISTER or call sees the change; `hooks` then flush
 * FreeSWITCH's own directory cache. After a Redis reconnect everything is
 * invalidated, because messages sent meanwhile are lost.
 */
export async function subscribeInvalidation(
  subscriber: Redis,
  prefix: string,
  cache: TenantCache,
  log: Log,
  hooks?: ChangeHooks,
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
    const domain = msg.domain.toLowerCase();
    const previousDomain = msg.previousDomain?.toLowerCase();
    const before = {
      domain: cache.peekDomain(domain),
      previous: previousDomain ? cache.peekDomain(previousDomain) : undefined,
    };
    cache.invalidateTenant(domain, previousDomain);
    hooks?.changed(msg, before);
  };
  const onReady = () => {
    if (connectedOnce) {
      log.info({ channel }, 'redis reconnected: invalidating every cached tenant');
      cache.invalidateAll();
      hooks?.resync();
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
