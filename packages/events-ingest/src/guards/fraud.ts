// The outbound fraud policy's live state in Redis (issue #14, docs/security.md): external calls in progress per
// extension and tenant, the velocity window per extension, and the extensions it blocked. One script per call
// decides atomically, so N controllers answering lookups count every call once and the threshold once.
import { FraudBlockSchema, type FraudBlock, type FraudRefusal } from '@pbx/contracts';
import type { Redis } from 'ioredis';
import { liveCallKeys } from '../live-calls/reader.js';
import type { GuardStore } from './store.js';

/** What one external call is checked against (the tenant's fraud settings and its tenant-wide cap). */
export type FraudLimits = {
  maxConcurrentPerExtension: number;
  maxConcurrentPerTenant: number;
  velocityMaxCalls: number;
  velocityWindowSec: number;
  velocityBlockSec: number;
  maxCallDurationSec: number;
};

export type FraudCall = {
  tenantId: string;
  /** The extension the call counts against; null: a call of no extension (a DID forwarded out), only the tenant cap. */
  extension: string | null;
  /** The A leg's UUID: a call looked up twice (a transfer) counts once. */
  uuid: string;
  at: number;
};

export type FraudVerdict = { allowed: true } | { allowed: false; reason: FraudRefusal; block?: FraudBlock };

/**
 * A call admitted earlier still counts while its leg is live in the live-call state (`<prefix>:live:ch:<uuid>`),
 * and stops counting once it has a tombstone (`…:gone:<uuid>`); a leg that never showed up there counts for this
 * long after its admission (events lag, or no event socket at all).
 */
const UNSEEN_GRACE_MS = 60_000;

const ADMIT = `
local blockKey, extSet, tenantSet, velKey, index = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local uuid, now, head = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local grace, maxExt, maxTenant = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local velMax, velWindow, blockMs, keepMs = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local hasExt = ARGV[11] == '1'
if hasExt and redis.call('EXISTS', blockKey) == 1 then return {'EXTENSION_BLOCKED', 0} end
local function live(set)
  local members = redis.call('ZRANGE', set, 0, -1, 'WITHSCORES')
  local n = 0
  for i = 1, #members, 2 do
    local u, at = members[i], tonumber(members[i + 1])
    if u ~= uuid then
      if redis.call('EXISTS', head .. 'gone:' .. u) == 1
        or (now - at > grace and redis.call('EXISTS', head .. 'ch:' .. u) == 0) then
        redis.call('ZREM', set, u)
      else
        n = n + 1
      end
    end
  end
  return n
end
if hasExt then
  redis.call('ZREMRANGEBYSCORE', velKey, '-inf', now - velWindow)
  redis.call('ZADD', velKey, 'NX', now, uuid)
  redis.call('PEXPIRE', velKey, velWindow)
  local calls = redis.call('ZCARD', velKey)
  if calls > velMax then
    local record = cjson.decode(ARGV[12])
    record['calls'] = calls
    redis.call('SET', blockKey, cjson.encode(record), 'PX', blockMs)
    redis.call('ZADD', index, now + blockMs, ARGV[13])
    return {'VELOCITY_BLOCKED', calls}
  end
  if live(extSet) >= maxExt then return {'EXTENSION_CONCURRENT_LIMIT', 0} end
end
if live(tenantSet) >= maxTenant then return {'CONCURRENT_LIMIT', 0} end
if hasExt then
  redis.call('ZADD', extSet, now, uuid)
  redis.call('PEXPIRE', extSet, keepMs)
end
redis.call('ZADD', tenantSet, now, uuid)
redis.call('PEXPIRE', tenantSet, keepMs)
return {'OK', 0}
`;

const fraudKeys = (prefix: string) => {
  const p = `${prefix}:fraud`;
  return {
    block: (tenantId: string, ext: string) => `${p}:block:${tenantId}:${ext}`,
    extCalls: (tenantId: string, ext: string) => `${p}:calls:ext:${tenantId}:${ext}`,
    tenantCalls: (tenantId: string) => `${p}:calls:tenant:${tenantId}`,
    velocity: (tenantId: string, ext: string) => `${p}:velocity:${tenantId}:${ext}`,
    /** Fraud-refused external calls of one extension in the current alert window (expires with it). */
    refused: (tenantId: string, ext: string) => `${p}:refused:${tenantId}:${ext}`,
    /** Every block, `tenantId\nextension` scored by its end (ms). */
    index: `${p}:blocks`,
  };
};

const REFUSALS = new Set<string>([
  'EXTENSION_BLOCKED',
  'EXTENSION_CONCURRENT_LIMIT',
  'CONCURRENT_LIMIT',
  'VELOCITY_BLOCKED',
]);

/** The fraud policy's Redis state: controllers admit calls, the API lists and lifts blocks. */
export class FraudStore {
  private readonly k: ReturnType<typeof fraudKeys>;
  private readonly liveHead: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    /** Where alerts go: the guards' admin-visible lists. */
    private readonly alerts: GuardStore,
  ) {
    this.k = fraudKeys(prefix);
    this.liveHead = liveCallKeys(prefix).head;
  }

  /** Checks one external call against the live limits and, when allowed, counts it as in progress. */
  async admit(call: FraudCall, limits: FraudLimits): Promise<FraudVerdict> {
    const ext = call.extension ?? '';
    const windowSec = limits.velocityWindowSec;
    const record = {
      tenantId: call.tenantId,
      extension: ext,
      reason: `more than ${limits.velocityMaxCalls} external calls in ${windowSec} s`,
      calls: 0,
      windowSec,
      blockedAt: new Date(call.at).toISOString(),
      until: new Date(call.at + limits.velocityBlockSec * 1000).toISOString(),
    };
    const result = (await this.redis.eval(
      ADMIT,
      5,
      this.k.block(call.tenantId, ext),
      this.k.extCalls(call.tenantId, ext),
      this.k.tenantCalls(call.tenantId),
      this.k.velocity(call.tenantId, ext),
      this.k.index,
      call.uuid,
      String(call.at),
      this.liveHead,
      String(UNSEEN_GRACE_MS),
      String(limits.maxConcurrentPerExtension),
      String(limits.maxConcurrentPerTenant),
      String(limits.velocityMaxCalls),
      String(windowSec * 1000),
      String(limits.velocityBlockSec * 1000),
      String((limits.maxCallDurationSec + 3600) * 1000),
      call.extension === null ? '0' : '1',
      JSON.stringify(record),
      `${call.tenantId}\n${ext}`,
    )) as [string, number];
    const [verdict, calls] = result;
    if (verdict === 'OK' || !REFUSALS.has(verdict)) return { allowed: true };
    const reason = verdict as FraudRefusal;
    if (reason !== 'VELOCITY_BLOCKED') return { allowed: false, reason };
    const block: FraudBlock = { ...record, calls: Number(calls) };
    await this.alerts.alert({
      kind: 'fraud_blocked',
      tenantId: call.tenantId,
      at: call.at,
      summary: `extension ${ext}: external calls blocked until ${block.until}: ${block.calls} calls in ${windowSec} s`,
      detail: { extension: ext, calls: block.calls, windowSec, until: block.until },
    });
    return { allowed: false, reason, block };
  }

  /**
   * Counts one external call the fraud policy refused. The `count`-th refusal of an extension within a window of
   * `windowSec` (from its first refusal) raises one `fraud_refusals` alert: INCR is atomic, so however many
   * controllers count, exactly one of them sees the count reach it, and later refusals of the window stay quiet.
   * Answers whether this call raised the alert. `count` 0: off.
   */
  async noteRefused(
    call: { tenantId: string; extension: string; reason: string; at: number },
    rule: { count: number; windowSec: number },
  ): Promise<boolean> {
    if (rule.count <= 0) return false;
    const key = this.k.refused(call.tenantId, call.extension);
    // The window starts at the first refusal (SET NX with its expiry), then every refusal counts in it.
    const replies = await this.redis.multi().set(key, '0', 'EX', rule.windowSec, 'NX').incr(key).exec();
    const n = Number(replies?.[1]?.[1]);
    if (n !== rule.count) return false;
    await this.alerts.alert({
      kind: 'fraud_refusals',
      tenantId: call.tenantId,
      at: call.at,
      summary: `extension ${call.extension}: ${n} external calls refused by the fraud policy within ${rule.windowSec} s (last: ${call.reason})`,
      detail: { extension: call.extension, calls: n, windowSec: rule.windowSec, reason: call.reason },
    });
    return true;
  }

  /** The extensions blocked at `at`; with `tenantId`, only that tenant's. */
  async list(at: number, tenantId?: string): Promise<FraudBlock[]> {
    await this.redis.zremrangebyscore(this.k.index, '-inf', String(at));
    const members = await this.redis.zrange(this.k.index, '0', '-1');
    const refs: Array<{ tenantId: string; extension: string }> = [];
    for (const m of members) {
      const nl = m.indexOf('\n');
      if (nl < 0) continue;
      const ref = { tenantId: m.slice(0, nl), extension: m.slice(nl + 1) };
      if (tenantId === undefined || ref.tenantId === tenantId) refs.push(ref);
    }
    if (refs.length === 0) return [];
    const values = await this.redis.mget(...refs.map((r) => this.k.block(r.tenantId, r.extension)));
    const out: FraudBlock[] = [];
    for (const raw of values) {
      const parsed = FraudBlockSchema.safeParse(parseJson(raw));
      if (parsed.success && Date.parse(parsed.data.until) > at) out.push(parsed.data);
    }
    return out.sort(
      (a, b) => b.blockedAt.localeCompare(a.blockedAt) || a.extension.localeCompare(b.extension),
    );
  }

  /** Ends an extension's block now and forgets its velocity window; null when it was not blocked. */
  async lift(tenantId: string, extension: string, o: { at: number; by: string }): Promise<FraudBlock | null> {
    const key = this.k.block(tenantId, extension);
    const parsed = FraudBlockSchema.safeParse(parseJson(await this.redis.get(key)));
    if (!parsed.success || parsed.data.tenantId !== tenantId) return null;
    await this.redis
      .multi()
      .del(key, this.k.velocity(tenantId, extension))
      .zrem(this.k.index, `${tenantId}\n${extension}`)
      .exec();
    await this.alerts.alert({
      kind: 'block_lifted',
      tenantId,
      at: o.at,
      summary: `extension ${extension}: external calls unblocked by ${o.by}`,
      detail: { block: 'fraud', extension, by: o.by },
    });
    return parsed.data;
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
