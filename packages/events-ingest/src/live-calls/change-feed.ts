import type { Redis } from 'ioredis';
import { LiveCallChangeSchema, type LiveCallChange } from '../contracts.js';

export type LiveCallFeed = AsyncGenerator<LiveCallChange> & { close: () => void };

/**
 * The changes published on one tenant's channel (`liveCallsChannel`), for an SSE endpoint.
 * Resolves once subscribed (so nothing published afterwards is missed); uses its own subscriber
 * connection, released by `close()`, by aborting `signal`, or when the consumer stops iterating.
 */
export async function openLiveCallFeed(
  redis: Redis,
  channel: string,
  signal?: AbortSignal,
): Promise<LiveCallFeed> {
  const sub = redis.duplicate();
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
  await sub.subscribe(channel);
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
