import { BlockList, isIP } from 'node:net';
import { guardChangedChannel, type GuardBlock } from '@pbx/contracts';
import type { Redis } from 'ioredis';
import type { GuardStore } from './store.js';

type Log = { warn: (obj: object, msg: string) => void };

/** How often the copy is re-read even without a message (a lost message, a block lifted by its key expiring). */
const REFRESH_MS = 30_000;

/** `::ffff:a.b.c.d` (an IPv4 peer seen on an IPv6 socket) is the IPv4 address. */
export function normalizeAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}

/**
 * A controller's in-process copy of the blocks and trusted networks, so the directory lookup checks them
 * synchronously, with no Redis or database round trip per REGISTER. It follows the store through the
 * guard-changed channel, and re-reads everything every 30 s and after a Redis reconnect. When Redis is down the
 * copy keeps what it had: blocks still end on time (each carries its end), lookups go on.
 */
export class GuardMirror {
  private addresses = new Map<string, number>();
  private users = new Map<string, number>();
  private trusted = new Map<string, BlockList>();
  private refreshing: Promise<void> | null = null;
  private again = false;

  constructor(private readonly d: { store: GuardStore; now: () => number; log: Log }) {}

  /** Subscribes (on a connection in subscriber mode) and loads; returns the stop function. */
  async start(subscriber: Redis | undefined, prefix: string): Promise<() => Promise<void>> {
    const channel = guardChangedChannel(prefix);
    const onMessage = (ch: string) => {
      if (ch === channel) void this.refresh();
    };
    const onReady = () => void this.refresh();
    if (subscriber) {
      subscriber.on('message', onMessage);
      subscriber.on('ready', onReady);
      await subscriber.subscribe(channel);
    }
    await this.refresh();
    const timer = setInterval(() => void this.refresh(), REFRESH_MS);
    timer.unref();
    return async () => {
      clearInterval(timer);
      if (subscriber) {
        subscriber.off('message', onMessage);
        subscriber.off('ready', onReady);
        await subscriber.unsubscribe(channel).catch(() => undefined);
      }
      await this.refreshing;
    };
  }

  /** Re-reads the store; concurrent calls share one read, and a call during a read runs one more after it. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    const run = async () => {
      do {
        this.again = false;
        try {
          const at = this.d.now();
          const [blocks, trusted] = await Promise.all([
            this.d.store.list(at),
            this.d.store.allTrustedNetworks(),
          ]);
          const addresses = new Map<string, number>();
          const users = new Map<string, number>();
          for (const b of blocks) (b.kind === 'address' ? addresses : users).set(b.key, Date.parse(b.until));
          this.addresses = addresses;
          this.users = users;
          this.trusted = new Map([...trusted].map(([t, nets]) => [t, blockListOf(nets)]));
        } catch (error) {
          this.d.log.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'guards: could not read blocks from Redis, keeping the copy held',
          );
        }
      } while (this.again);
    };
    this.refreshing = run().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Takes a block this controller just made, without waiting for the round trip. */
  apply(b: GuardBlock): void {
    (b.kind === 'address' ? this.addresses : this.users).set(b.key, Date.parse(b.until));
  }

  addressBlocked(address: string, at: number): boolean {
    if (this.addresses.size === 0) return false;
    const until = this.addresses.get(normalizeAddress(address));
    return until !== undefined && until > at;
  }

  userLocked(user: string, domain: string, at: number): boolean {
    if (this.users.size === 0) return false;
    const until = this.users.get(`${user}@${domain}`);
    return until !== undefined && until > at;
  }

  trusts(tenantId: string, address: string): boolean {
    const list = this.trusted.get(tenantId);
    if (!list) return false;
    const a = normalizeAddress(address);
    const v = isIP(a);
    return v !== 0 && list.check(a, v === 4 ? 'ipv4' : 'ipv6');
  }
}

function blockListOf(networks: readonly string[]): BlockList {
  const list = new BlockList();
  for (const n of networks) {
    const [address = '', bits] = n.split('/');
    const v = isIP(address);
    if (v === 0) continue;
    const family = v === 4 ? 'ipv4' : 'ipv6';
    list.addSubnet(address, bits === undefined ? (v === 4 ? 32 : 128) : Number(bits), family);
  }
  return list;
}
