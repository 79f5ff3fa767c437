// Trunk states per node (docs/trunks.md, "Gateway status"): sofia::gateway_state events are applied as they come;
// sofia::gateway_add / gateway_delete (sofia_reg.c sofia_reg_add_gateway, mod_sofia.c) and every (re)connect make
// the controller re-read the node's `sofia status gateway` list, because a gateway that does not register never
// announces a state and events sent while no controller listened are lost.
import type { EslClient } from '@pbx/esl';
import { GatewayStateStore, type EslHeaders } from '@pbx/events-ingest';
import type { Redis } from 'ioredis';

export const GATEWAY_SUBCLASSES = [
  'sofia::gateway_state',
  'sofia::gateway_add',
  'sofia::gateway_delete',
] as const;
const SUBCLASSES = new Set<string>(GATEWAY_SUBCLASSES);

export const isGatewayEvent = (subclass: string | undefined): boolean =>
  subclass !== undefined && SUBCLASSES.has(subclass);

export class GatewayStatus {
  readonly store: GatewayStateStore;

  constructor(
    private readonly esl: EslClient,
    redis: Redis,
    prefix: string,
  ) {
    this.store = new GatewayStateStore(redis, prefix);
  }

  /** Re-reads one node's gateways (`name` is the ESL node, `nodeId` its switchname); returns how many it has. */
  async relist(name: string, nodeId: string): Promise<number> {
    const res = await this.esl.node(name).bgapi('sofia status gateway');
    return this.store.reconcile(nodeId, res.body);
  }

  /** One of GATEWAY_SUBCLASSES from node `name`. */
  async onEvent(name: string, nodeId: string, subclass: string, event: EslHeaders): Promise<void> {
    if (subclass === 'sofia::gateway_state') await this.store.applyEvent(event, nodeId);
    else await this.relist(name, nodeId);
  }
}
