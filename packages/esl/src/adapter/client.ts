// Several FreeSWITCH nodes behind one object: events carry the node name, stats are per node.
import type { EslEvent } from './events.js';
import { Listeners } from './listeners.js';
import { EslNode, type EslNodeOptions, type EslNodeState, type EslNodeStats } from './node.js';

export type EslNodeConfig = Pick<EslNodeOptions, 'name' | 'host' | 'port' | 'password'>;
export type EslClientOptions = Omit<EslNodeOptions, 'name' | 'host' | 'port' | 'password'> & {
  nodes: readonly EslNodeConfig[];
};

export class EslClient {
  private readonly nodes = new Map<string, EslNode>();
  private readonly events = new Listeners<[string, EslEvent]>();
  private readonly states = new Listeners<[string, EslNodeState]>();

  constructor(options: EslClientOptions) {
    const { nodes, ...shared } = options;
    for (const cfg of nodes) {
      if (this.nodes.has(cfg.name)) throw new Error(`duplicate FreeSWITCH node name ${cfg.name}`);
      const node = new EslNode({ ...shared, ...cfg });
      node.onEvent((e) => this.events.emit(cfg.name, e));
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

  onEvent(fn: (node: string, e: EslEvent) => void): () => void {
    return this.events.add(fn);
  }

  onState(fn: (node: string, s: EslNodeState) => void): () => void {
    return this.states.add(fn);
  }

  stats(): Record<string, EslNodeStats> {
    return Object.fromEntries([...this.nodes].map(([k, n]) => [k, n.stats()]));
  }
}
