export type EslNodeAddress = { name: string; host: string; port: number };

const NODE_RE = /^(?:([\w.-]{1,64})@)?([A-Z0-9.-]+|\[[0-9a-f:]+\]):(\d{1,5})$/i;

/**
 * Parses ESL_NODES: comma-separated `host:port` or `name@host:port`. The name
 * is what metrics and logs call the node (default `host:port`); the node id used
 * for registrations and live calls is FreeSWITCH's own switchname, learnt from
 * its events, so two controllers naming a node differently still agree.
 */
export function parseEslNodes(value: string): EslNodeAddress[] {
  const nodes = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((entry) => {
      const m = NODE_RE.exec(entry);
      if (!m) throw new Error(`"${entry}" is not host:port or name@host:port`);
      const port = Number(m[3]);
      if (port < 1 || port > 65535) throw new Error(`"${entry}": port must be 1-65535`);
      const host = (m[2] ?? '').replace(/^\[|\]$/g, '');
      return { name: m[1] ?? `${m[2] ?? ''}:${port}`, host, port };
    });
  if (nodes.length === 0) throw new Error('expected at least one node');
  const names = new Set<string>();
  for (const n of nodes) {
    if (names.has(n.name)) throw new Error(`node ${n.name} is listed twice`);
    names.add(n.name);
  }
  return nodes;
}
