import { randomUUID } from 'node:crypto';
import {
  GuardAlertSchema,
  GuardBlockSchema,
  guardChangedChannel,
  type GuardAlert,
  type GuardAlertKind,
  type GuardBlock,
  type GuardBlockKind,
} from '@pbx/contracts';
import type { Redis } from 'ioredis';
import { blockMember, guardKeys, parseBlockMember } from './keys.js';
import { ALERTS_KEPT, DEFAULT_GUARD_POLICY, type GuardPolicy, type GuardRule } from './policy.js';

/** One refused authentication, as FreeSWITCH reported it (sofia::register_failure). */
export type AuthFailure = {
  /** Unique per event and node (Core-UUID:Event-Sequence): every controller receives it, it counts once. */
  eventId: string;
  address: string;
  /** Counted against the address (false when the address is trusted by the user's tenant). */
  countAddress: boolean;
  /** The user the failure is counted against; absent when the domain is no tenant's (a scanner's guess). */
  user?: { user: string; domain: string; tenantId: string };
  at: number;
};

/** Key slack after a block ends, so a controller whose clock lags a little still reads it. */
const KEY_SLACK_MS = 60_000;

/**
 * The guards' state in Redis, shared by every controller and the API: failure windows, blocks, alerts and trusted
 * networks. Controllers count and block; the API lists and lifts. Times are passed in (ms), so windows and expiry
 * follow the caller's clock; Redis TTLs only collect what is over.
 */
export class GuardStore {
  private readonly k: ReturnType<typeof guardKeys>;
  private readonly channel: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    readonly policy: GuardPolicy = DEFAULT_GUARD_POLICY,
  ) {
    this.k = guardKeys(prefix);
    this.channel = guardChangedChannel(prefix);
  }

  /** Counts one failure; returns the blocks it caused (none when the thresholds are not reached or already blocked). */
  async recordFailure(f: AuthFailure): Promise<GuardBlock[]> {
    const counted: Array<{ kind: GuardBlockKind; key: string; tenantId: string | null; rule: GuardRule }> =
      [];
    if (f.countAddress)
      counted.push({ kind: 'address', key: f.address, tenantId: null, rule: this.policy.address });
    if (f.user)
      counted.push({
        kind: 'user',
        key: `${f.user.user}@${f.user.domain}`,
        tenantId: f.user.tenantId,
        rule: this.policy.user,
      });
    if (counted.length === 0) return [];
    const tx = this.redis.multi();
    for (const c of counted) {
      const key = this.k.failures(c.kind, c.key);
      tx.zremrangebyscore(key, '-inf', String(f.at - c.rule.windowMs));
      tx.zadd(key, 'NX', String(f.at), f.eventId);
      tx.zcard(key);
      tx.pexpire(key, c.rule.windowMs + KEY_SLACK_MS);
    }
    const results = (await tx.exec()) ?? [];
    const blocks: GuardBlock[] = [];
    for (const [i, c] of counted.entries()) {
      const [error, count] = results[i * 4 + 2] ?? [null, 0];
      if (error) throw error;
      if (Number(count) < c.rule.failures) continue;
      const b = await this.block(c.kind, c.key, c.tenantId, Number(count), c.rule, f.at);
      if (b) blocks.push(b);
    }
    return blocks;
  }

  /**
   * Blocks `key` unless it already is. Several controllers may get here for the same failure: SET NX lets one of
   * them create the block, which alone raises the alert and tells the others.
   */
  private async block(
    kind: GuardBlockKind,
    key: string,
    tenantId: string | null,
    failures: number,
    rule: GuardRule,
    at: number,
  ): Promise<GuardBlock | null> {
    const until = at + rule.blockMs;
    const b: GuardBlock = {
      kind,
      key,
      tenantId,
      reason:
        kind === 'address'
          ? `${failures} authentication failures from this address in ${rule.windowMs / 1000} s`
          : `${failures} authentication failures for this user in ${rule.windowMs / 1000} s`,
      failures,
      windowSec: rule.windowMs / 1000,
      blockedAt: new Date(at).toISOString(),
      until: new Date(until).toISOString(),
    };
    const recordKey = this.k.block(kind, key);
    const existing = GuardBlockSchema.safeParse(parseJson(await this.redis.get(recordKey)));
    // A block that has ended by the caller's clock may still have its key (slack): replace it.
    if (existing.success && Date.parse(existing.data.until) > at) return null;
    const set = existing.success
      ? await this.redis.set(recordKey, JSON.stringify(b), 'PX', rule.blockMs + KEY_SLACK_MS)
      : await this.redis.set(recordKey, JSON.stringify(b), 'PX', rule.blockMs + KEY_SLACK_MS, 'NX');
    if (set !== 'OK') return null;
    await this.redis.zadd(this.k.index, String(until), blockMember(kind, key));
    const who = kind === 'address' ? `address ${key}` : `user ${key}`;
    await this.alert({
      kind: kind === 'address' ? 'address_banned' : 'user_locked',
      tenantId,
      at,
      summary: `${who} blocked until ${b.until}: ${b.reason}`,
      detail: { block: kind, key, failures, until: b.until },
    });
    await this.redis.publish(this.channel, JSON.stringify({ change: 'blocked', kind, key }));
    return b;
  }

  /** Blocks in force at `at`, the newest first; with `tenantId`, only that tenant's user locks. */
  async list(at: number, tenantId?: string): Promise<GuardBlock[]> {
    await this.redis.zremrangebyscore(this.k.index, '-inf', String(at));
    const members = await this.redis.zrange(this.k.index, '0', '-1');
    const refs = members.map(parseBlockMember).filter((m) => m !== null);
    if (refs.length === 0) return [];
    const values = await this.redis.mget(...refs.map((r) => this.k.block(r.kind, r.key)));
    const out: GuardBlock[] = [];
    for (const raw of values) {
      const parsed = GuardBlockSchema.safeParse(parseJson(raw));
      if (!parsed.success || Date.parse(parsed.data.until) <= at) continue;
      if (tenantId !== undefined && parsed.data.tenantId !== tenantId) continue;
      out.push(parsed.data);
    }
    return out.sort((a, b) => b.blockedAt.localeCompare(a.blockedAt) || a.key.localeCompare(b.key));
  }

  /**
   * Ends a block now and forgets its failures. With `tenantId`, only a block of that tenant is lifted (a tenant
   * admin cannot lift another tenant's lock nor an address ban). Returns the block lifted, or null.
   */
  async lift(
    kind: GuardBlockKind,
    key: string,
    o: { at: number; by: string; tenantId?: string },
  ): Promise<GuardBlock | null> {
    const recordKey = this.k.block(kind, key);
    const parsed = GuardBlockSchema.safeParse(parseJson(await this.redis.get(recordKey)));
    if (!parsed.success || Date.parse(parsed.data.until) <= o.at) return null;
    if (o.tenantId !== undefined && parsed.data.tenantId !== o.tenantId) return null;
    await this.redis
      .multi()
      .del(recordKey, this.k.failures(kind, key))
      .zrem(this.k.index, blockMember(kind, key))
      .exec();
    await this.alert({
      kind: 'block_lifted',
      tenantId: parsed.data.tenantId,
      at: o.at,
      summary: `${kind === 'address' ? 'address' : 'user'} ${key} unblocked by ${o.by}`,
      detail: { block: kind, key, by: o.by },
    });
    await this.redis.publish(this.channel, JSON.stringify({ change: 'lifted', kind, key }));
    return parsed.data;
  }

  /** Records an alert in the platform's list and, for a tenant's, in the tenant's too. */
  async alert(a: {
    kind: GuardAlertKind;
    tenantId: string | null;
    at: number;
    summary: string;
    detail: GuardAlert['detail'];
  }): Promise<GuardAlert> {
    const alert: GuardAlert = {
      id: randomUUID(),
      at: new Date(a.at).toISOString(),
      kind: a.kind,
      tenantId: a.tenantId,
      summary: a.summary,
      detail: a.detail,
    };
    const json = JSON.stringify(alert);
    const tx = this.redis.multi();
    for (const list of a.tenantId ? [this.k.alerts(null), this.k.alerts(a.tenantId)] : [this.k.alerts(null)])
      tx.lpush(list, json).ltrim(list, 0, ALERTS_KEPT - 1);
    await tx.exec();
    return alert;
  }

  /** The newest alerts of the platform (null) or of one tenant. */
  async alerts(tenantId: string | null, limit = 100): Promise<GuardAlert[]> {
    const raw = await this.redis.lrange(this.k.alerts(tenantId), 0, Math.max(0, limit - 1));
    return raw
      .map((r) => GuardAlertSchema.safeParse(parseJson(r)))
      .flatMap((p) => (p.success ? [p.data] : []));
  }

  async trustedNetworks(tenantId: string): Promise<string[]> {
    const raw = await this.redis.hget(this.k.trusted, tenantId);
    const list: unknown = parseJson(raw);
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  }

  async setTrustedNetworks(tenantId: string, networks: readonly string[]): Promise<void> {
    if (networks.length === 0) await this.redis.hdel(this.k.trusted, tenantId);
    else await this.redis.hset(this.k.trusted, tenantId, JSON.stringify(networks));
    await this.redis.publish(this.channel, JSON.stringify({ change: 'trusted', tenantId }));
  }

  /** Every tenant's trusted networks (what a controller's copy loads). */
  async allTrustedNetworks(): Promise<Map<string, string[]>> {
    const all = await this.redis.hgetall(this.k.trusted);
    const out = new Map<string, string[]>();
    for (const [tenantId, raw] of Object.entries(all)) {
      const list: unknown = parseJson(raw);
      if (Array.isArray(list))
        out.set(
          tenantId,
          list.filter((x): x is string => typeof x === 'string'),
        );
    }
    return out;
  }
}

function parseJson(raw: string | null | undefined): unknown {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}
