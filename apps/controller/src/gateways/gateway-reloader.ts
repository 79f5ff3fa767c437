import { GatewaysChangedSchema, gatewaysChangedChannel, type GatewaysChanged } from '@pbx/contracts';
import type { Redis } from 'ioredis';
import type { FlushNodes } from '../events/directory-flusher.js';
import { TRUNK_PROFILE } from './sofia-gateways.js';

type Log = { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void };

/** What a trunk name may be in a command line (the API allows less; sofia.c accepts `^[\w.-]+$`). */
const SAFE = /^[\w.-]{1,64}$/;

/** The commands that make a node's `external` profile match one GatewaysChanged (mod_sofia.c, `sofia profile`). */
export function reloadCommands(change: GatewaysChanged): string[] {
  const p = `sofia profile ${TRUNK_PROFILE}`;
  const names = [change.previousGateway, change.gateway].filter(
    (n): n is string => n !== undefined && SAFE.test(n),
  );
  // killgw of a gateway the node does not have only answers -ERR: harmless, and needed after a rename.
  const kills = [...new Set(names)].map((n) => `${p} killgw ${n}`);
  if (change.removed || !SAFE.test(change.gateway)) return kills;
  // startgw fetches sofia.conf with gateway=<name> (sofia.c, config_gateway); a disabled trunk is not in the answer.
  return [...kills, `${p} startgw ${change.gateway}`];
}

/**
 * Keeps every FreeSWITCH node's trunks in step with the database without a restart: for each GatewaysChanged the
 * trunk is dropped (`killgw`) and loaded again (`startgw`, answered by /freeswitch/configuration) on every node, and
 * a node that (re)connects loads them all (`startgw _all_`; gateways it already has are ignored by sofia as
 * duplicates). Commands to one node run in order; nodes run in parallel (the same queueing as the directory
 * flusher). A node that misses a change (not connected) gets `startgw _all_` when it is back — which adds new
 * trunks but cannot change or remove one it still has, so such a node is listed in the log for a profile rescan.
 */
export class GatewayReloader {
  private readonly tails = new Map<string, Promise<void>>();
  /** Every command each node answered, in order (tests and /metrics-style inspection). */
  readonly sent: { node: string; command: string; reply: string }[] = [];

  constructor(private readonly d: { nodes: FlushNodes; log: Log }) {}

  start(): () => void {
    return this.d.nodes.onReady((node) =>
      this.enqueue(node, [`sofia profile ${TRUNK_PROFILE} startgw _all_`]),
    );
  }

  apply(change: GatewaysChanged): void {
    const commands = reloadCommands(change);
    for (const node of this.d.nodes.names()) {
      if (!this.d.nodes.isReady(node)) {
        this.d.log.warn({ node, gateway: change.gateway }, 'trunk change not sent: node not connected');
        continue;
      }
      this.enqueue(node, commands);
    }
  }

  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.allSettled([...this.tails.values()]);
  }

  private enqueue(node: string, commands: string[]): void {
    const prev = this.tails.get(node) ?? Promise.resolve();
    const next = prev
      .then(async () => {
        for (const command of commands) {
          const reply = await this.d.nodes.api(node, command).catch((e: unknown) => `-ERR ${String(e)}`);
          this.sent.push({ node, command, reply: reply.trim() });
          if (!reply.startsWith('+OK') && !command.includes('killgw'))
            this.d.log.warn({ node, command, reply: reply.trim() }, 'trunk reload failed');
        }
      })
      .catch(() => undefined);
    this.tails.set(node, next);
    void next.then(() => {
      if (this.tails.get(node) === next) this.tails.delete(node);
    });
  }
}

/** Subscribes to GatewaysChanged (published by the API after each trunk write). */
export function subscribeGatewaysChanged(
  subscriber: Redis,
  prefix: string,
  reloader: GatewayReloader,
  log: Log,
): () => Promise<void> {
  const channel = gatewaysChangedChannel(prefix);
  const onMessage = (ch: string, raw: string) => {
    if (ch !== channel) return;
    try {
      reloader.apply(GatewaysChangedSchema.parse(JSON.parse(raw)));
    } catch {
      log.warn({ channel }, 'ignoring malformed gateways-changed message');
    }
  };
  subscriber.on('message', onMessage);
  // Not awaited: the controller starts without Redis (see invalidation.ts).
  subscriber
    .subscribe(channel)
    .catch((error: unknown) =>
      log.warn({ channel, err: error instanceof Error ? error.message : String(error) }, 'subscribe failed'),
    );
  return async () => {
    subscriber.off('message', onMessage);
    if (subscriber.status === 'ready') await subscriber.unsubscribe(channel).catch(() => undefined);
  };
}
