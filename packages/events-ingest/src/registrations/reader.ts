import type { Redis } from 'ioredis';
import { RegistrationSchema, type Registration } from '../contracts.js';

/** Keys `${prefix}:reg:<node>:<call-id>` (one registration) and the per-tenant / per-node sorted-set indexes. */
export const registrationKeys = (prefix: string) => {
  const p = `${prefix}:reg`;
  return {
    reg: (nodeId: string, callId: string) => `${p}:${nodeId}:${callId}`,
    tenant: (tenantId: string) => `${p}:idx:tenant:${tenantId}`,
    node: (nodeId: string) => `${p}:idx:node:${nodeId}`,
  };
};

/**
 * Read-only view of the registrations the controllers keep in Redis: what the API lists, without the event
 * handling (and the ESL adapter) of `RegistrationStore`, which reads through this too. Index members whose key
 * expired are pruned on read.
 */
export class RegistrationReader {
  private readonly keys: ReturnType<typeof registrationKeys>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.keys = registrationKeys(prefix);
  }

  listByTenant(tenantId: string): Promise<Registration[]> {
    return this.readIndex(this.keys.tenant(tenantId));
  }

  async listByExtension(tenantId: string, extension: string): Promise<Registration[]> {
    return (await this.listByTenant(tenantId)).filter((r) => r.extension === extension);
  }

  listByNode(nodeId: string): Promise<Registration[]> {
    return this.readIndex(this.keys.node(nodeId));
  }

  private async readIndex(indexKey: string): Promise<Registration[]> {
    await this.redis.zremrangebyscore(indexKey, '-inf', String(this.now()));
    const members = await this.redis.zrange(indexKey, '0', '-1');
    if (members.length === 0) return [];
    const keys = members.map((m) => {
      const [node = '', callId = ''] = m.split('\n');
      return this.keys.reg(node, callId);
    });
    const values = await this.redis.mget(...keys);
    const out: Registration[] = [];
    const stale: string[] = [];
    values.forEach((raw, i) => {
      const parsed = raw ? RegistrationSchema.safeParse(JSON.parse(raw)) : null;
      if (parsed?.success) out.push(parsed.data);
      else stale.push(members[i] ?? '');
    });
    if (stale.length > 0) await this.redis.zrem(indexKey, ...stale);
    return out.sort((a, b) => a.extension.localeCompare(b.extension) || a.callId.localeCompare(b.callId));
  }
}
