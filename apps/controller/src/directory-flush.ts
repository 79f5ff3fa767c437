import type { ConfigChanged } from '@pbx/contracts';
import type { TenantSnapshot } from '@pbx/domain/routing';
import type { ChangeHooks } from './invalidation.js';
import type { TenantCache } from './tenant-cache.js';

/**
 * Entities whose changes never alter a directory answer (renderUser reads the tenant row, its extensions and their
 * voicemail boxes only). Everything else, including entities this list does not know, flushes every user of the
 * tenant: a flush too many costs one lookup, a flush too few leaves a stale user for up to DIRECTORY_CACHE_MS.
 * Keep this list in step with renderUser.
 */
const NO_DIRECTORY_EFFECT = new Set([
  'ivr-menu',
  'ring-group',
  'time-condition',
  'inbound-number',
  'recording',
  'voicemail-message',
  'user',
  'api-key',
  // Trunks: routing only (the tenant's snapshot); no directory answer names a gateway.
  'gateway',
  'trunks',
]);

/** One `xml_flush_cache id <user> <domain>` to send. */
export type UserKey = { user: string; domain: string };

type Snap = TenantSnapshot | null | undefined;

/**
 * Which users' cached directory answers a committed change may have made wrong, from the tenant's snapshot before
 * the change (`old`, undefined if this controller never loaded it) and after it (`next`). Both are asked because
 * either may not know a number: the old one a created extension, the new one a renumbered or deleted one.
 * - extension → that extension's numbers before and after;
 * - voicemail-box → the extensions using that box (the box number is in their answer);
 * - tenant, or anything unknown → every user of the tenant, under the previous domain too after a rename.
 */
export function affectedUsers(msg: ConfigChanged, old: Snap, next: Snap, oldPrevious?: Snap): UserKey[] {
  if (NO_DIRECTORY_EFFECT.has(msg.entity)) return [];
  const out = new Map<string, UserKey>();
  const add = (user: string, domain: string) => out.set(`${user}@${domain}`, { user, domain });
  const domainOf = (s: TenantSnapshot) => s.tenant.domain.toLowerCase();
  const snaps = [old, next, oldPrevious].filter((s): s is TenantSnapshot => !!s);
  const id = msg.entityId;
  if (msg.entity === 'extension' && id) {
    for (const s of snaps) for (const e of s.extensions) if (e.id === id) add(e.number, domainOf(s));
  } else if (msg.entity === 'voicemail-box' && id) {
    for (const s of snaps)
      for (const e of s.extensions) if (e.voicemailBoxId === id) add(e.number, domainOf(s));
  } else {
    for (const s of snaps) for (const e of s.extensions) add(e.number, domainOf(s));
    // A renamed tenant: its users were cached under the old domain.
    if (msg.previousDomain)
      for (const s of snaps) for (const e of s.extensions) add(e.number, msg.previousDomain.toLowerCase());
  }
  return [...out.values()];
}

/** Where the users to flush go (the DirectoryFlusher in production). */
export type FlushTarget = {
  flushUsers(users: readonly UserKey[]): void;
  flushEverything(reason: string): void;
};

/**
 * The invalidation hooks that flush FreeSWITCH's user cache after a committed change: the tenant's new snapshot is
 * loaded (the load the next lookup would make anyway, so FreeSWITCH's re-lookup after the flush joins or follows
 * it and sees the change), the affected users worked out, and flushed. Changes of one tenant are handled in order.
 * `target()` is read per change: the ESL side is built after the subscription.
 */
export function directoryFlushHooks(
  cache: TenantCache,
  target: () => FlushTarget | undefined,
  onError: (error: unknown) => void,
): ChangeHooks & { idle(): Promise<void> } {
  const tails = new Map<string, Promise<void>>();
  return {
    changed(msg, before) {
      const domain = msg.domain.toLowerCase();
      const run = async () => {
        let next: TenantSnapshot | null | undefined;
        try {
          next = await cache.getByDomain(domain);
        } catch (error) {
          onError(error); // database down: flush what the old snapshot names
        }
        target()?.flushUsers(affectedUsers(msg, before.domain, next, before.previous));
      };
      const tail = (tails.get(domain) ?? Promise.resolve()).then(run).catch(onError);
      tails.set(domain, tail);
      void tail.then(() => {
        if (tails.get(domain) === tail) tails.delete(domain);
      });
    },
    resync() {
      target()?.flushEverything('config-changed subscription reconnected: messages may have been lost');
    },
    async idle() {
      while (tails.size > 0) await Promise.allSettled([...tails.values()]);
    },
  };
}
