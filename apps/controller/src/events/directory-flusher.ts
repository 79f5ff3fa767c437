import type { EslClient } from '@pbx/esl';
import type { UserKey } from '../directory-flush.js';
import type { ControllerMetrics } from '../metrics.js';

/** The FreeSWITCH nodes as the flusher needs them (an EslClient in production; see eslFlushNodes). */
export type FlushNodes = {
  names(): string[];
  isReady(node: string): boolean;
  api(node: string, command: string): Promise<string>;
  /** Called each time a node becomes ready (first connect and every reconnect). */
  onReady(fn: (node: string) => void): () => void;
};

export function eslFlushNodes(esl: EslClient): FlushNodes {
  return {
    names: () => esl.nodeNames(),
    isReady: (n) => esl.node(n).state === 'ready',
    api: (n, command) => esl.node(n).api(command),
    onReady: (fn) => esl.onState((n, state) => state === 'ready' && fn(n)),
  };
}

type Log = { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void };

/** What FreeSWITCH's user cache keys may contain: user and domain are validated before any answer is given. */
const SAFE = /^[\w.@+-]{1,128}$/;

/**
 * Drops changed users from the directory cache of every FreeSWITCH node (`xml_flush_cache id <user> <domain>`,
 * mod_commands). A node that cannot be told (disconnected, or the command failed) is flushed wholesale
 * (`xml_flush_cache` without arguments) as soon as it is ready again: it missed changes nobody can list any more.
 * A node that (re)connects is always flushed wholesale, because changes may have been made while this controller
 * did not reach it (including before this controller started). Commands to one node run in order; nodes run in
 * parallel.
 */
export class DirectoryFlusher {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly missed = new Set<string>();

  constructor(
    private readonly d: {
      nodes: FlushNodes;
      metrics: Pick<ControllerMetrics, 'directoryFlushes'>;
      log: Log;
    },
  ) {}

  /** Flushes every node wholesale whenever it becomes ready. */
  start(): () => void {
    return this.d.nodes.onReady((node) => {
      this.enqueue(node, () => this.send(node, 'xml_flush_cache', 'all'));
    });
  }

  /** The users' entries, on every node. */
  flushUsers(users: readonly UserKey[]): void {
    const safe = users.filter((u) => SAFE.test(u.user) && SAFE.test(u.domain));
    if (safe.length === 0) return;
    for (const node of this.d.nodes.names()) {
      if (!this.d.nodes.isReady(node)) {
        this.miss(node, 'not connected');
        continue;
      }
      this.enqueue(node, async () => {
        for (const u of safe) {
          // A wholesale flush is due (an earlier one failed): it covers these users too.
          if (this.missed.has(node)) return this.send(node, 'xml_flush_cache', 'all');
          await this.send(node, `xml_flush_cache id ${u.user} ${u.domain}`, 'user');
        }
      });
    }
  }

  /** Every node wholesale (ConfigChanged messages may have been lost, e.g. during a Redis outage). */
  flushEverything(reason: string): void {
    this.d.log.info({ reason }, 'flushing the directory cache of every FreeSWITCH node');
    for (const node of this.d.nodes.names()) {
      if (!this.d.nodes.isReady(node)) this.miss(node, reason);
      else this.enqueue(node, () => this.send(node, 'xml_flush_cache', 'all'));
    }
  }

  /** Resolves when every command queued so far has been answered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.allSettled([...this.tails.values()]);
  }

  private miss(node: string, why: string): void {
    if (!this.missed.has(node))
      this.d.log.warn({ node, why }, 'directory flush missed: the node is flushed wholesale when ready');
    this.missed.add(node);
  }

  private async send(node: string, command: string, scope: 'user' | 'all'): Promise<void> {
    try {
      const reply = await this.d.nodes.api(node, command);
      if (!reply.startsWith('+OK')) throw new Error(reply.trim());
      if (scope === 'all') this.missed.delete(node);
      this.d.metrics.directoryFlushes.inc({ node, scope, outcome: 'ok' });
    } catch (error) {
      this.d.metrics.directoryFlushes.inc({ node, scope, outcome: 'failed' });
      this.d.log.warn(
        { node, command, err: error instanceof Error ? error.message : String(error) },
        'directory flush failed',
      );
      // Once more, wholesale, if the node is still there; otherwise when it is back.
      if (scope === 'user' && this.d.nodes.isReady(node))
        this.enqueue(node, () => this.send(node, 'xml_flush_cache', 'all'));
      else this.missed.add(node);
    }
  }

  private enqueue(node: string, task: () => Promise<void>): void {
    const prev = this.tails.get(node) ?? Promise.resolve();
    const next = prev.then(task).catch(() => undefined);
    this.tails.set(node, next);
    void next.then(() => {
      if (this.tails.get(node) === next) this.tails.delete(node);
    });
  }
}
