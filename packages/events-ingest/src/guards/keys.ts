import type { GuardBlockKind } from '@pbx/contracts';

/** Every Redis key of the guards, under `${prefix}:guard`. */
export const guardKeys = (prefix: string) => {
  const p = `${prefix}:guard`;
  return {
    /** Sorted set of failure event ids scored by time (ZADD NX: an event seen by N controllers counts once). */
    failures: (kind: GuardBlockKind, key: string) => `${p}:fail:${kind}:${key}`,
    /** One block's JSON record; expires (with some slack) after the block ends. */
    block: (kind: GuardBlockKind, key: string) => `${p}:block:${kind}:${key}`,
    /** Every block, `kind\nkey` scored by its end (ms): what lists and the controllers' copies read. */
    index: `${p}:blocks`,
    alerts: (tenantId: string | null) =>
      tenantId ? `${p}:alerts:tenant:${tenantId}` : `${p}:alerts:platform`,
    /** Hash tenantId → JSON array of CIDRs. */
    trusted: `${p}:trusted`,
  };
};

export const blockMember = (kind: GuardBlockKind, key: string): string => `${kind}\n${key}`;

export function parseBlockMember(member: string): { kind: GuardBlockKind; key: string } | null {
  const at = member.indexOf('\n');
  const kind = member.slice(0, at);
  if (at < 0 || (kind !== 'address' && kind !== 'user')) return null;
  return { kind, key: member.slice(at + 1) };
}
