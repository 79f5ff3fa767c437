// Several FreeSWITCH nodes behind one object: events carry the node name, stats are per node.
import type { EslEvent, RawEslEvent } from './events.js';
import { EventListeners, Listeners, type EventInterest } from './listeners.js';
import { EslNode } from './node.js';
import type { EslNodeOptions, EslNodeState, EslNodeStats } from './node-options.js';

export type EslNodeConfig = Pick<EslNodeOptions, 'name' | 'host' | 'port' | 'password'>;
export type EslClientOptions = Omit<EslNodeOptions, 'name' | 'host' | 'port' | 'password'> & {
  nodes: readonly EslNodeConfig[];
};

export class EslClient {
  private readonly nodes = new Map<string, EslNode>();
  private readonly events = new EventListeners<[string, EslEvent]>();
  private readonly rawEvents = new EventListeners<[string, RawEslEvent]>();
  private readonly states = new Listeners<[string, EslNodeState]>();

  constructor(options: EslClientOptions) {
    const { nodes, ...shared } = options;
    for (const cfg of nodes) {
      if (this.nodes.has(cfg.name)) throw new Error(`duplicate FreeSWITCH node name ${cfg.name}`);
      const node = new EslNode({ ...shared, ...cfg });
      node.onEvent(
        (e) => this.events.emit(e.eventName === 'OTHER' ? e.name : e.eventName, [cfg.name, e]),
        (name) => this.events.wanted(name),
      );
      node.onRawEvent(
        (e) => this.rawEvents.emit(e.name, [cfg.name, e]),
        (name) => this.rawEvents.wanted(name),
      );
      node.onState((s) => this.states.emit(cfg.name, s));
      this.nodes.set(cfg.name, node);
    }
  }

  start(): void {
    for (const n of this.nodes.values()) n.start();
  }

  close(): void {
    for (const n of this.nodes.values()) n.close();
  }

  node(name: string): EslNode {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`unknown FreeSWITCH node ${name}`);
    return n;
  }

  nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  /** `wants`: the Event-Names this listener needs (all when absent); events nobody wants are only counted. */
  onEvent(fn: (node: string, e: EslEvent) => void, wants?: EventInterest): () => void {
    return this.events.add(([node, e]) => fn(node, e), wants);
  }

  /** Events untyped: name, subclass and the lazily decoded header block (see EslNode.onRawEvent). */
  onRawEvent(fn: (node: string, e: RawEslEvent) => void, wants?: EventInterest): () => void {
    return this.rawEvents.add(([node, e]) => fn(node, e), wants);
  }

  onState(fn: (node: string, s: EslNodeState) => void): () => void {
    return this.states.add(fn);
  }

  stats(): Record<string, EslNodeStats> {
    return Object.fromEntries([...this.nodes].map(([k, n]) => [k, n.stats()]));
  }
}
