import type { Redis } from 'ioredis';
import {
  LiveCallChangeSchema,
  LiveCallSchema,
  liveCallsChannel,
  type LiveCall,
  type LiveCallChange,
} from '../contracts.js';

export type LiveCallFeed = AsyncGenerator<LiveCallChange> & { close: () => void };

/** Keys `${prefix}:live:ch:<uuid>` (the leg), `…:tenant:<id>` and `…:node:<id>` (sets of leg uuids). */
export const liveCallKeys = (prefix: string) => {
  const p = `${prefix}:live:`;
  return {
    base: p,
    leg: (uuid: string) => `${p}ch:${uuid}`,
    tenant: (tenantId: string) => `${p}tenant:${tenantId}`,
    node: (nodeId: string) => `${p}node:${nodeId}`,
  };
};

/**
 * Read-only view of the live calls the controllers keep in Redis: the lists and the per-tenant change feed. What the
 * API needs, without the event handling (and the ESL adapter) of `LiveCallStore`, which reads through this too.
 */
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

  /**
   * The change feed of one tenant over Redis pub/sub, for an SSE endpoint.
   * Resolves once subscribed (so nothing published afterwards is missed);
   * uses its own subscriber connection, released by `close()`, by aborting
   * `signal`, or when the consumer stops iterating.
   */
  async changes(tenantId: string, signal?: AbortSignal): Promise<LiveCallFeed> {
    const sub = this.redis.duplicate();
    const queue: LiveCallChange[] = [];
    let wake: (() => void) | null = null;
    let closed = false;
    sub.on('message', (_channel: string, message: string) => {
      const parsed = LiveCallChangeSchema.safeParse(JSON.parse(message));
      if (parsed.success) queue.push(parsed.data);
      wake?.();
    });
    const close = (): void => {
      if (closed) return;
      closed = true;
      sub.disconnect();
      wake?.();
    };
    signal?.addEventListener('abort', close, { once: true });
    await sub.subscribe(liveCallsChannel(this.prefix, tenantId));
    async function* iterate(): AsyncGenerator<LiveCallChange> {
      try {
        while (!closed) {
          const next = queue.shift();
          if (next) {
            yield next;
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
        }
      } finally {
        signal?.removeEventListener('abort', close);
        close();
      }
    }
    const iterator = iterate();
    return Object.assign(iterator, { close });
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
    if (stale.length > 0) await this.redis.srem(setKey, ...stale);
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.uuid.localeCompare(b.uuid));
  }
}
