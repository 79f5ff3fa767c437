// The controllers' side of the gateway states (gateway-state-reader.ts says what is kept and where from).
import type { Redis } from 'ioredis';
import { GatewayNodeStateSchema, type GatewayNodeState } from '@pbx/contracts';
import { header, type EslHeaders } from '../event.js';
import { GatewayStateReader, gatewayStateField as field, gatewayStateKey } from './gateway-state-reader.js';

const NAME_RE = /^[\w.-]{1,64}$/;
const STATE_RE = /^[A-Z_]{1,32}$/;

/** The controllers' side: applies events and re-reads a node's list. */
export class GatewayStateStore extends GatewayStateReader {
  constructor(
    redis: Redis,
    prefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    super(redis, prefix);
  }

  /** A sofia::gateway_state event of node `nodeId`. Returns whether it was one (with usable headers). */
  async applyEvent(event: EslHeaders, nodeId: string): Promise<boolean> {
    const gateway = header(event, 'Gateway');
    const state = header(event, 'State');
    const ping = header(event, 'Ping-Status');
    if (!gateway || !NAME_RE.test(gateway) || !state || !STATE_RE.test(state)) return false;
    await this.put(nodeId, gateway, state, ping && STATE_RE.test(ping) ? ping : undefined);
    return true;
  }

  /**
   * The node's `sofia status gateway` answer: its gateways' states replace what was known of that node (a gateway
   * it no longer lists is dropped); other nodes are untouched. Returns how many gateways it listed.
   */
  async reconcile(nodeId: string, statusText: string): Promise<number> {
    const listed = parseSofiaGatewayList(statusText);
    const key = gatewayStateKey(this.prefix);
    for (const g of listed) await this.put(nodeId, g.gateway, g.state, undefined);
    const names = new Set(listed.map((g) => g.gateway));
    const stale = (await this.list()).filter((s) => s.node === nodeId && !names.has(s.gateway));
    if (stale.length) await this.redis.hdel(key, ...stale.map((s) => field(s.gateway, s.node)));
    return listed.length;
  }

  /** Keeps changedAt when nothing changed; a ping status not given keeps the known one. */
  private async put(node: string, gateway: string, state: string, ping: string | undefined): Promise<void> {
    const key = gatewayStateKey(this.prefix);
    const f = field(gateway, node);
    const raw = await this.redis.hget(key, f);
    const before = raw ? GatewayNodeStateSchema.safeParse(JSON.parse(raw)) : undefined;
    const prev = before?.success ? before.data : undefined;
    const pingStatus = ping ?? prev?.pingStatus ?? null;
    if (prev && prev.state === state && prev.pingStatus === pingStatus) return;
    const next: GatewayNodeState = { node, gateway, state, pingStatus, changedAt: this.now().toISOString() };
    await this.redis.hset(key, f, JSON.stringify(next));
  }
}

/**
 * The rows of `sofia status gateway`: `<profile>::<name>\t<data>\t<state>\t<ping time>\t…` between two rules of
 * `=` (mod_sofia.c cmd_status). Leading padding is trimmed; anything else is ignored.
 */
export function parseSofiaGatewayList(
  text: string,
): Array<{ profile: string; gateway: string; state: string }> {
  const out: Array<{ profile: string; gateway: string; state: string }> = [];
  for (const line of text.split('\n')) {
    const cols = line.split('\t').map((c) => c.trim());
    const m = /^([\w.-]+)::([\w.-]+)$/.exec(cols[0] ?? '');
    const state = cols[2];
    if (!m || !state || !STATE_RE.test(state)) continue;
    out.push({ profile: m[1] ?? '', gateway: m[2] ?? '', state });
  }
  return out;
}
