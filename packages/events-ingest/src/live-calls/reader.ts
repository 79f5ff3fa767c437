import type { Redis } from 'ioredis';
import { LiveCallSchema, liveCallsChannel, type LiveCall } from '../contracts.js';
import { openLiveCallFeed, type LiveCallFeed } from './change-feed.js';

/** Keys `${prefix}:live:ch:<uuid>` (the leg), `…:gone:<uuid>` (tombstone), `…:tenant:<id>` and `…:node:<id>` (sets). */
export function liveCallKeys(prefix: string) {
  const p = `${prefix}:live:`;
  return {
    /** `<prefix>:live:`, the head of every key. */
    head: p,
    leg: (uuid: string) => `${p}ch:${uuid}`,
    tenant: (tenantId: string) => `${p}tenant:${tenantId}`,
    node: (nodeId: string) => `${p}node:${nodeId}`,
  };
}

/** The live legs in Redis, per tenant and per node, oldest first. */
export class LiveCallReader {
  private readonly keys: ReturnType<typeof liveCallKeys>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.keys = liveCallKeys(prefix);
  }

  list(tenantId: string): Promise<LiveCall[]> {
    return this.readSet(this.keys.tenant(tenantId));
  }

  listByNode(nodeId: string): Promise<LiveCall[]> {
    return this.readSet(this.keys.node(nodeId));
  }

  /** The change feed of one tenant (see openLiveCallFeed). */
  changes(tenantId: string, signal?: AbortSignal): Promise<LiveCallFeed> {
    return openLiveCallFeed(this.redis, liveCallsChannel(this.prefix, tenantId), signal);
  }

  /** The uuids Redis holds for one node. */
  nodeLegs(nodeId: string): Promise<string[]> {
    return this.redis.smembers(this.keys.node(nodeId));
  }

  private async readSet(setKey: string): Promise<LiveCall[]> {
    const uuids = await this.redis.smembers(setKey);
    if (uuids.length === 0) return [];
    const values = await this.redis.mget(...uuids.map((u) => this.keys.leg(u)));
    const out: LiveCall[] = [];
    const stale: string[] = [];
    values.forEach((raw, i) => {
      const parsed = raw ? LiveCallSchema.safeParse(JSON.parse(raw)) : null;
      if (parsed?.success) out.push(parsed.data);
      else stale.push(uuids[i] ?? '');
    });
    // A member whose leg key expired or does not parse leaves the set.
    if (stale.length > 0) await this.redis.srem(setKey, ...stale);
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.uuid.localeCompare(b.uuid));
  }
}

/** A leg as Redis stores it, or null when absent or not a valid leg. */
export function parseLiveCall(raw: unknown): LiveCall | null {
  if (typeof raw !== 'string' || !raw) return null;
  const parsed = LiveCallSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}
