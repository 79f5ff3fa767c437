// The state of every sofia gateway (carrier trunk) on every FreeSWITCH node, kept in Redis so every controller
// writes it and the API reads it. Sources: CUSTOM sofia::gateway_state (sofia_reg.c
// sofia_reg_fire_custom_gateway_state_event: Gateway, State, Ping-Status) and, after a (re)connect or a gateway
// being added or removed, the node's `sofia status gateway` list (mod_sofia.c), since events sent while no
// controller listened are lost and a gateway that does not register announces no state at all.
import type { Redis } from 'ioredis';
import { GatewayNodeStateSchema, type GatewayNodeState } from '@pbx/contracts';

/** One hash: field `<gateway> <node>` (sofia names have no spaces) → the JSON of a GatewayNodeState. */
export const gatewayStateKey = (prefix: string) => `${prefix}:gwstate`;
export const gatewayStateField = (gateway: string, node: string) => `${gateway} ${node}`;

/** Read-only view (the API): every gateway's state per node. */
export class GatewayStateReader {
  constructor(
    protected readonly redis: Redis,
    protected readonly prefix: string,
  ) {}

  async list(): Promise<GatewayNodeState[]> {
    const all = await this.redis.hgetall(gatewayStateKey(this.prefix));
    const out: GatewayNodeState[] = [];
    for (const raw of Object.values(all)) {
      const parsed = GatewayNodeStateSchema.safeParse(JSON.parse(raw));
      if (parsed.success) out.push(parsed.data);
    }
    return out.sort((a, b) => a.gateway.localeCompare(b.gateway) || a.node.localeCompare(b.node));
  }

  /** The states of these gateways, by gateway name. */
  async byGateway(names: readonly string[]): Promise<Map<string, GatewayNodeState[]>> {
    const wanted = new Set(names);
    const map = new Map<string, GatewayNodeState[]>();
    for (const s of await this.list()) {
      if (!wanted.has(s.gateway)) continue;
      map.set(s.gateway, [...(map.get(s.gateway) ?? []), s]);
    }
    return map;
  }
}
