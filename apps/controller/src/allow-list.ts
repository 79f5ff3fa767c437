import { BlockList, isIP } from 'node:net';

export type Cidr = { address: string; prefix: number; family: 'ipv4' | 'ipv6' };

export function parseCidrList(list: string): Cidr[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const [address = '', bits] = s.split('/');
      const v = isIP(address);
      if (v === 0) throw new Error(`not an IP address: ${address}`);
      const max = v === 4 ? 32 : 128;
      const prefix = bits === undefined ? max : Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max)
        throw new Error(`bad prefix length in ${s}`);
      return { address, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
    });
}

/** Address allow-list; IPv4-mapped IPv6 peers (::ffff:a.b.c.d) are checked as IPv4. */
export function allowListOf(cidrs: Cidr[]): (address: string | undefined) => boolean {
  const list = new BlockList();
  for (const c of cidrs) list.addSubnet(c.address, c.prefix, c.family);
  // FreeSWITCH connects from a handful of addresses; remember the verdicts (bounded, in case of a scan).
  const seen = new Map<string, boolean>();
  return (address) => {
    if (!address) return false;
    const known = seen.get(address);
    if (known !== undefined) return known;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const a = mapped ?? address;
    const v = isIP(a);
    const ok = v !== 0 && list.check(a, v === 4 ? 'ipv4' : 'ipv6');
    if (seen.size >= 1024) seen.clear();
    seen.set(address, ok);
    return ok;
  };
}
