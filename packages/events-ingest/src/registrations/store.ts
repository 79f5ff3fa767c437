import type { Redis } from 'ioredis';
import { z } from 'zod';
import { RegistrationSchema, type Registration } from '../contracts.js';
import { eventNode, eventSubclass, header, type EslHeaders } from '../event.js';
import type { TenantResolver } from '../tenants.js';
import { RegistrationReader, registrationKeys } from './reader.js';

/** One row of `show registrations as json` (every value a string). */
export const ShowRegistrationRowSchema = z
  .object({
    reg_user: z.string(),
    realm: z.string(),
    token: z.string(),
    url: z.string(),
    expires: z.string(),
    network_ip: z.string(),
    network_port: z.string(),
    network_proto: z.string().optional(),
    hostname: z.string().optional(),
    metadata: z.string().optional(),
  })
  .loose();
export type ShowRegistrationRow = z.infer<typeof ShowRegistrationRowSchema>;

const ShowRegistrationsSchema = z
  .object({ row_count: z.number(), rows: z.array(ShowRegistrationRowSchema).optional() })
  .loose();

export type RegistrationEventResult =
  | { action: 'registered'; registration: Registration }
  | { action: 'removed'; nodeId: string; callId: string; existed: boolean }
  | { action: 'ignored'; reason: string };

export type RegistrationStoreOptions = {
  redis: Redis;
  /** Key prefix (REDIS_PREFIX); keys are `${prefix}:reg:...`. */
  prefix: string;
  tenants: TenantResolver;
  /**
   * Seconds FreeSWITCH keeps a registration after its Expires ran out
   * (`sip-expires-late-margin`, 60 on our profiles): `show registrations`
   * reports registration time + Expires + this.
   */
  lateMarginSec?: number;
  now?: () => number;
};

/**
 * Registrations in Redis. Each device registration is one key
 * `${prefix}:reg:<node>:<call-id>` whose TTL is its expiry, so a phone that
 * vanishes disappears by itself. Per-tenant and per-node sorted sets (score =
 * expiry) index them; members whose key expired are pruned on read.
 */
export class RegistrationStore {
  private readonly redis: Redis;
  private readonly keys: ReturnType<typeof registrationKeys>;
  private readonly reader: RegistrationReader;
  private readonly tenants: TenantResolver;
  private readonly lateMarginSec: number;
  private readonly now: () => number;

  constructor(options: RegistrationStoreOptions) {
    this.redis = options.redis;
    this.keys = registrationKeys(options.prefix);
    this.tenants = options.tenants;
    this.lateMarginSec = options.lateMarginSec ?? 60;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.reader = new RegistrationReader(this.redis, options.prefix, this.now);
  }

  /** sofia::register / sofia::unregister / sofia::expire; other events are ignored. */
  async applyRegistrationEvent(
    event: EslHeaders,
    nodeId: string | undefined = eventNode(event),
  ): Promise<RegistrationEventResult> {
    const subclass = eventSubclass(event);
    if (!nodeId) return { action: 'ignored', reason: 'no node id' };
    const callId = header(event, 'call-id');
    if (subclass === 'sofia::unregister' || subclass === 'sofia::expire') {
      if (!callId) return { action: 'ignored', reason: 'no call-id' };
      const existed = await this.remove(nodeId, callId);
      return { action: 'removed', nodeId, callId, existed };
    }
    if (subclass !== 'sofia::register')
      return { action: 'ignored', reason: `not a registration event (${subclass ?? 'none'})` };
    const domain = header(event, 'realm') ?? header(event, 'domain_name') ?? header(event, 'from-host');
    const extension = header(event, 'username') ?? header(event, 'from-user');
    const expires = Number(header(event, 'expires') ?? '');
    if (!callId || !domain || !extension || !Number.isFinite(expires))
      return { action: 'ignored', reason: 'incomplete register event' };
    const tenant = await this.tenants.byDomain(domain);
    if (!tenant) return { action: 'ignored', reason: `unknown domain ${domain}` };
    const stampUs = Number(header(event, 'Event-Date-Timestamp') ?? '');
    const registeredAt =
      Number.isFinite(stampUs) && stampUs > 0 ? Math.floor(stampUs / 1_000_000) : this.now();
    const registration: Registration = {
      nodeId,
      tenantId: tenant.id,
      domain: tenant.domain,
      extension,
      callId,
      contact: contactUri(header(event, 'contact') ?? ''),
      userAgent: header(event, 'user-agent') ?? '',
      networkIp: header(event, 'network-ip') ?? '',
      networkPort: port(header(event, 'network-port')),
      profile: header(event, 'profile-name') ?? '',
      registeredAt,
      expiresAt: registeredAt + expires + this.lateMarginSec,
    };
    await this.put([registration]);
    return { action: 'registered', registration };
  }

  listByTenant(tenantId: string): Promise<Registration[]> {
    return this.reader.listByTenant(tenantId);
  }

  listByExtension(tenantId: string, extension: string): Promise<Registration[]> {
    return this.reader.listByExtension(tenantId, extension);
  }

  listByNode(nodeId: string): Promise<Registration[]> {
    return this.reader.listByNode(nodeId);
  }

  /**
   * Makes what we hold for one node equal to what it reports (`show
   * registrations as json`: text, parsed, or its rows): rows we lack are added
   * (keeping the user agent we knew), registrations it no longer has are
   * removed. Other nodes are untouched. Rows of unknown domains are skipped.
   */
  async reconcile(
    nodeId: string,
    showRegistrations: unknown,
  ): Promise<{ kept: number; added: number; removed: number }> {
    const rows = parseShowRegistrations(showRegistrations);
    const current = new Map((await this.listByNode(nodeId)).map((r) => [r.callId, r]));
    const next: Registration[] = [];
    for (const row of rows) {
      const tenant = await this.tenants.byDomain(row.realm);
      if (!tenant) continue;
      const { profile, contact } = splitUrl(row.url);
      const known = current.get(row.token);
      const expiresAt = Number(row.expires);
      if (!Number.isFinite(expiresAt)) continue;
      next.push({
        nodeId,
        tenantId: tenant.id,
        domain: tenant.domain,
        extension: row.reg_user,
        callId: row.token,
        contact,
        userAgent: known?.userAgent ?? '',
        networkIp: row.network_ip,
        networkPort: port(row.network_port),
        profile,
        registeredAt: known?.registeredAt ?? this.now(),
        expiresAt,
      });
    }
    const keep = new Set(next.map((r) => r.callId));
    let removed = 0;
    for (const callId of current.keys()) {
      if (!keep.has(callId) && (await this.remove(nodeId, callId))) removed++;
    }
    await this.put(next);
    const added = next.filter((r) => !current.has(r.callId)).length;
    return { kept: next.length - added, added, removed };
  }

  private regKey(nodeId: string, callId: string): string {
    return this.keys.reg(nodeId, callId);
  }
  private tenantKey(tenantId: string): string {
    return this.keys.tenant(tenantId);
  }
  private nodeKey(nodeId: string): string {
    return this.keys.node(nodeId);
  }

  private async put(registrations: readonly Registration[]): Promise<void> {
    if (registrations.length === 0) return;
    const now = this.now();
    const multi = this.redis.multi();
    for (const r of registrations) {
      const ttl = r.expiresAt - now;
      const key = this.regKey(r.nodeId, r.callId);
      const member = `${r.nodeId}\n${r.callId}`;
      if (ttl <= 0) {
        multi.del(key).zrem(this.tenantKey(r.tenantId), member).zrem(this.nodeKey(r.nodeId), member);
        continue;
      }
      multi.set(key, JSON.stringify(r), 'EX', ttl);
      multi.zadd(this.tenantKey(r.tenantId), r.expiresAt, member);
      multi.zadd(this.nodeKey(r.nodeId), r.expiresAt, member);
    }
    await multi.exec();
  }

  private async remove(nodeId: string, callId: string): Promise<boolean> {
    const key = this.regKey(nodeId, callId);
    const raw = await this.redis.get(key);
    const member = `${nodeId}\n${callId}`;
    const multi = this.redis.multi().del(key).zrem(this.nodeKey(nodeId), member);
    if (raw) {
      const reg = RegistrationSchema.safeParse(JSON.parse(raw));
      if (reg.success) multi.zrem(this.tenantKey(reg.data.tenantId), member);
    }
    await multi.exec();
    return raw !== null;
  }
}

/** `show registrations as json` as text, parsed, or just its rows array. */
export function parseShowRegistrations(input: unknown): ShowRegistrationRow[] {
  const data: unknown = typeof input === 'string' ? JSON.parse(input) : input;
  if (Array.isArray(data)) return z.array(ShowRegistrationRowSchema).parse(data);
  return ShowRegistrationsSchema.parse(data).rows ?? [];
}

/** `"Alice" <sip:1001@192.0.2.10:5060;transport=udp>` → `sip:1001@192.0.2.10:5060;transport=udp`. */
export function contactUri(contact: string): string {
  // The contact comes from the phone: found with indexOf, since a regex such as /<([^>]*)>/ is retried from every
  // '<' of a long run of them (quadratic time).
  const open = contact.indexOf('<');
  const close = open < 0 ? -1 : contact.indexOf('>', open + 1);
  return (close < 0 ? contact : contact.slice(open + 1, close)).trim();
}

/** `sofia/internal/sip:1001@127.0.0.1:5070` → profile `internal`, contact `sip:1001@127.0.0.1:5070`. */
function splitUrl(url: string): { profile: string; contact: string } {
  const m = /^sofia\/([^/]+)\/(.*)$/.exec(url);
  return m ? { profile: m[1] ?? '', contact: m[2] ?? '' } : { profile: '', contact: url };
}

function port(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : 0;
}
