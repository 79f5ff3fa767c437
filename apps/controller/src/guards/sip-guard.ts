import type { GuardBlock } from '@pbx/contracts';
import { findExtension } from '@pbx/domain/routing';
import type { GuardMirror, GuardStore } from '@pbx/events-ingest/guards';
import type { UserKey } from '../directory-flush.js';
import type { ControllerMetrics } from '../metrics.js';
import type { TenantCache } from '../tenant-cache.js';
import type { RegisterFailure } from './auth-failure-event.js';

type Log = { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };

export type SipGuardDeps = {
  store: GuardStore;
  mirror: GuardMirror;
  cache: TenantCache;
  metrics: Pick<ControllerMetrics, 'guardRefused' | 'guardBlocks' | 'authFailures'>;
  log: Log;
  now: () => number;
  /** Drops a locked user from FreeSWITCH's directory cache, which would otherwise keep answering for it. */
  flushUser: (u: UserKey) => void;
  /** Lookups one address may cause for domains the controller holds nothing about, per minute. */
  missesPerMinute?: number;
};

export type Refusal = 'address_banned' | 'user_locked' | 'miss_rate';

/** Bounded: a scan from many addresses must not grow it without end. */
const MAX_TRACKED_ADDRESSES = 10_000;

/**
 * The SIP side of the abuse guards (issue #14): counts FreeSWITCH's authentication failures per source address and
 * per user, and answers the directory lookup's questions from memory, before any database work.
 *
 * Why both places: FreeSWITCH asks the directory only when it does not hold the user (a first REGISTER, an unknown
 * user, a user flushed from its cache), so the lookup refusal stops scanners (whose guesses are all unknown) and,
 * together with the flush on lock, a locked user. Guesses at a user FreeSWITCH still caches never reach the
 * controller: only a host firewall fed from the ban list stops those addresses (docs/security.md).
 */
export class SipGuard {
  private readonly misses = new Map<string, { windowStart: number; n: number }>();
  private readonly missesPerMinute: number;

  constructor(private readonly d: SipGuardDeps) {
    this.missesPerMinute = d.missesPerMinute ?? 30;
  }

  /** Why a sip_auth lookup from `address` for user@domain must be refused, or null. Synchronous. */
  refusal(address: string | undefined, user: string, domain: string): Refusal | null {
    const at = this.d.now();
    if (address !== undefined && this.d.mirror.addressBlocked(address, at)) {
      // A network the tenant trusts is answered even while banned (the ban came from elsewhere).
      const tenant = this.d.cache.peekDomain(domain);
      if (!tenant || !this.d.mirror.trusts(tenant.tenant.id, address)) return this.refused('address_banned');
    }
    if (this.d.mirror.userLocked(user, domain, at)) return this.refused('user_locked');
    return null;
  }

  /**
   * Whether `address` may make the controller load a domain it holds nothing about (neither a tenant nor a
   * remembered "unknown"): each such domain costs a database query, so a scanner guessing domains gets a few per
   * minute and then answers from memory only.
   */
  mayLoadUnknownDomain(address: string | undefined, domain: string): boolean {
    if (address === undefined || this.d.cache.peekDomain(domain) !== undefined) return true;
    const at = this.d.now();
    let m = this.misses.get(address);
    if (!m || at - m.windowStart >= 60_000) {
      if (!m && this.misses.size >= MAX_TRACKED_ADDRESSES) this.misses.clear();
      m = { windowStart: at, n: 0 };
      this.misses.set(address, m);
    }
    if (m.n >= this.missesPerMinute) {
      this.refused('miss_rate');
      return false;
    }
    m.n++;
    return true;
  }

  /** One sofia::register_failure. */
  async onFailure(f: RegisterFailure): Promise<void> {
    this.d.metrics.authFailures.inc({ type: f.type });
    const tenant = f.toHost ? this.d.cache.peekDomain(f.toHost) : undefined;
    // Only a REGISTER's To names the account that failed (an INVITE's To is the callee); and only a user that
    // exists can be locked. The tenant is taken from the cache the failed lookup just filled: never loaded here,
    // so a flood of failures for invented domains costs no database query.
    const ext = f.type === 'REGISTER' && tenant && f.toUser ? findExtension(tenant, f.toUser) : undefined;
    const blocks = await this.d.store.recordFailure({
      eventId: f.eventId,
      address: f.address,
      countAddress: !(tenant && this.d.mirror.trusts(tenant.tenant.id, f.address)),
      ...(ext && tenant && f.toHost
        ? { user: { user: ext.number, domain: f.toHost, tenantId: tenant.tenant.id } }
        : {}),
      at: this.d.now(),
    });
    for (const b of blocks) this.blocked(b);
  }

  private blocked(b: GuardBlock): void {
    this.d.mirror.apply(b);
    this.d.metrics.guardBlocks.inc({ kind: b.kind });
    // One line per block, for a fail2ban-style filter on the controller's log (docs/security.md).
    this.d.log.warn(
      { guard: b.kind, key: b.key, until: b.until, failures: b.failures },
      `pbx-guard blocked ${b.kind} ${b.key}`,
    );
    if (b.kind === 'user') {
      const at = b.key.lastIndexOf('@');
      this.d.flushUser({ user: b.key.slice(0, at), domain: b.key.slice(at + 1) });
    }
  }

  private refused(reason: Refusal): Refusal {
    this.d.metrics.guardRefused.inc({ reason });
    return reason;
  }
}
