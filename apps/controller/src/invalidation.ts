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
export function subscribeInvalidation(
  subscriber: Redis,
  prefix: string,
  cache: TenantCache,
  log: Log,
  hooks?: ChangeHooks,
): { stop: () => Promise<void>; ready: Promise<void> } {
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
    applyChange(cache, msg, hooks);
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
  // Not awaited: without Redis the controller still starts (lookups need only PostgreSQL; ./config-poll.ts bounds
  // staleness meanwhile), and ioredis sends the SUBSCRIBE once it connects and again after every reconnect.
  if (subscriber.status === 'ready') connectedOnce = true;
  // `ready`: subscribed, or the connection attempt failed (Redis down): a start never waits for Redis to come back.
  let settle = () => {};
  const ready = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const onClose = () => settle();
  subscriber.once('close', onClose);
  subscriber
    .subscribe(channel)
    .catch((error: unknown) =>
      log.warn({ channel, err: error instanceof Error ? error.message : String(error) }, 'subscribe failed'),
    )
    .finally(() => {
      subscriber.off('close', onClose);
      settle();
    });
  const stop = async () => {
    settle();
    subscriber.off('close', onClose);
    subscriber.off('message', onMessage);
    subscriber.off('ready', onReady);
    if (subscriber.status === 'ready') await subscriber.unsubscribe(channel).catch(() => undefined);
  };
  return { stop, ready };
}

/** Drops the changed tenant from the cache and tells the hooks (a ConfigChanged from the bus or the poll). */
export function applyChange(cache: TenantCache, msg: ConfigChanged, hooks?: ChangeHooks): void {
  const domain = msg.domain.toLowerCase();
  const previousDomain = msg.previousDomain?.toLowerCase();
  const before = {
    domain: cache.peekDomain(domain),
    previous: previousDomain ? cache.peekDomain(previousDomain) : undefined,
  };
  cache.invalidateTenant(domain, previousDomain);
  hooks?.changed(msg, before);
}
