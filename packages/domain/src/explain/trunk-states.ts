// The explainer's view of the trunks a number would use, with their state on each FreeSWITCH node. The states live
// in Redis (written by the controllers); the caller passes a reader, so the domain stays free of it.
import type { GatewayNodeState } from '@pbx/contracts';

/** Reads the known states of these gateways, by gateway name (GatewayStateReader.byGateway). */
export type GatewayStatesOf = (names: readonly string[]) => Promise<Map<string, GatewayNodeState[]>>;

export type ExplainedTrunk = { gateway: string; status: GatewayNodeState[] };

export async function explainTrunks(
  trunks: ReadonlyArray<{ gateway: string }>,
  statesOf: GatewayStatesOf | undefined,
): Promise<{ trunks: ExplainedTrunk[]; text: string[] }> {
  const states =
    statesOf && trunks.length
      ? await statesOf(trunks.map((t) => t.gateway))
      : new Map<string, GatewayNodeState[]>();
  const out = trunks.map((t) => ({ gateway: t.gateway, status: states.get(t.gateway) ?? [] }));
  const text = out.map((t, i) => {
    const where = t.status.map(
      (s) =>
        `${s.state}${s.pingStatus && s.pingStatus !== 'UP' ? ` (ping ${s.pingStatus})` : ''} on ${s.node}`,
    );
    return `trunk ${i + 1}: ${t.gateway}, ${where.length ? where.join(', ') : 'state not known'}`;
  });
  return { trunks: out, text };
}
