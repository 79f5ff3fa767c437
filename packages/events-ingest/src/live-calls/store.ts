import type { Redis } from 'ioredis';
import { z } from 'zod';
import { classifyDirection, hostOf, isInternalNumber, resolveLegTenant } from '../classify.js';
import {
  LiveCallChangeSchema,
  LiveCallSchema,
  liveCallsChannel,
  type LiveCall,
  type LiveCallChange,
} from '../contracts.js';
import { channelVariables, eventName, eventNode, header, type EslEvent } from '../event.js';
import type { TenantResolver } from '../tenants.js';

/** One row of `show channels as json` (every value a string; only the columns used here are listed). */
export const ShowChannelRowSchema = z
  .object({
    uuid: z.string().min(1),
    direction: z.string().optional(),
    created_epoch: z.string().optional(),
    name: z.string().optional(),
    cid_name: z.string().optional(),
    cid_num: z.string().optional(),
    dest: z.string().optional(),
    presence_id: z.string().optional(),
    callstate: z.string().optional(),
    call_uuid: z.string().optional(),
    hostname: z.string().optional(),
  })
  .loose();
export type ShowChannelRow = z.infer<typeof ShowChannelRowSchema>;
const ShowChannelsSchema = z
  .object({ row_count: z.number(), rows: z.array(ShowChannelRowSchema).optional() })
  .loose();

export type LiveCallStoreOptions = {
  redis: Redis;
  prefix: string;
  tenants: TenantResolver;
  /** Safety net for a leg whose hang-up event was missed and no rebuild ran: gone after this long. */
  maxCallSec?: number;
};

export type LiveCallFeed = AsyncGenerator<LiveCallChange> & { close: () => void };

export type LiveCallEventResult = {
  action: 'upserted' | 'removed' | 'ignored';
  uuids: string[];
  reason?: string;
};

/**
 * Active channels per tenant in Redis, kept from CHANNEL_CREATE / ANSWER /
 * BRIDGE / UNBRIDGE / HANGUP(_COMPLETE), rebuilt per node from `show channels
 * as json` after a restart. Every change is published on the tenant's
 * channel (`liveCallsChannel`) for the SSE endpoint.
 */
export class LiveCallStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly tenants: TenantResolver;
  private readonly maxCallSec: number;

  constructor(options: LiveCallStoreOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.tenants = options.tenants;
    this.maxCallSec = options.maxCallSec ?? 12 * 3600;
  }

  async applyChannelEvent(
    event: EslEvent,
    nodeId: string | undefined = eventNode(event),
  ): Promise<LiveCallEventResult> {
    const name = eventName(event);
    const uuid = header(event, 'Unique-ID');
    if (!uuid || !nodeId) return { action: 'ignored', uuids: [], reason: 'no Unique-ID or node' };
    const at = eventTime(event);
    switch (name) {
      case 'CHANNEL_HANGUP':
      case 'CHANNEL_HANGUP_COMPLETE':
      case 'CHANNEL_DESTROY': {
        const removed = await this.remove(uuid, true);
        return {
          action: removed ? 'removed' : 'ignored',
          uuids: removed ? [uuid] : [],
          ...(removed ? {} : { reason: 'unknown leg' }),
        };
      }
      case 'CHANNEL_CREATE':
      case 'CHANNEL_ANSWER': {
        // One round trip for the leg and its tombstone (fromEvent needs the latter when the leg is new).
        const [existing, gone] = await this.getWithGone(uuid);
        if (existing) {
          if (name === 'CHANNEL_CREATE' || existing.state !== 'ringing')
            return { action: 'ignored', uuids: [], reason: 'no change' };
          await this.save({ ...existing, state: 'answered', since: at });
          return { action: 'upserted', uuids: [uuid] };
        }
        const call = gone ? null : await this.fromEvent(event, nodeId, uuid, at, false);
        if (!call) return { action: 'ignored', uuids: [], reason: 'unknown tenant or hung up' };
        await this.save(call);
        return { action: 'upserted', uuids: [uuid] };
      }
      case 'CHANNEL_BRIDGE':
      case 'CHANNEL_UNBRIDGE': {
        const a = header(event, 'Bridge-A-Unique-ID') ?? uuid;
        const b = header(event, 'Bridge-B-Unique-ID');
        const bridged = name === 'CHANNEL_BRIDGE';
        const changed: string[] = [];
        for (const [leg, other] of [
          [a, b],
          [b, a],
        ] as const) {
          if (!leg) continue;
          const existing =
            (await this.get(leg)) ?? (leg === uuid ? await this.fromEvent(event, nodeId, uuid, at) : null);
          if (!existing) continue;
          await this.save({
            ...existing,
            state: bridged ? 'bridged' : 'answered',
            otherUuid: bridged ? (other ?? null) : null,
            since: at,
          });
          changed.push(leg);
        }
        return { action: changed.length ? 'upserted' : 'ignored', uuids: changed };
      }
      default:
        return { action: 'ignored', uuids: [], reason: `not a channel event (${name ?? 'none'})` };
    }
  }

  async list(tenantId: string): Promise<LiveCall[]> {
    return this.readSet(this.tenantKey(tenantId));
  }

  async listByNode(nodeId: string): Promise<LiveCall[]> {
    return this.readSet(this.nodeKey(nodeId));
  }

  /**
   * Replaces what we hold for one node with its `show channels as json`
   * (text, parsed, or its rows). Two rows sharing a call_uuid while ACTIVE are the two
   * legs of a bridge.
   */
  async rebuildFromShowChannels(
    nodeId: string,
    showChannels: unknown,
  ): Promise<{ upserted: number; removed: number }> {
    const data: unknown = typeof showChannels === 'string' ? JSON.parse(showChannels) : showChannels;
    const rows = Array.isArray(data)
      ? z.array(ShowChannelRowSchema).parse(data)
      : (ShowChannelsSchema.parse(data).rows ?? []);
    const byCall = new Map<string, ShowChannelRow[]>();
    for (const row of rows) {
      const key = row.call_uuid || row.uuid;
      byCall.set(key, [...(byCall.get(key) ?? []), row]);
    }
    const now = new Date().toISOString();
    const seen = new Set<string>();
    let upserted = 0;
    for (const row of rows) {
      const siblings = (byCall.get(row.call_uuid || row.uuid) ?? []).filter((r) => r.uuid !== row.uuid);
      const callerNumber = row.cid_num ?? '';
      const callee = row.dest ?? '';
      const { tenant } = await resolveLegTenant(
        this.tenants,
        {},
        {
          extraDomains: [hostOf(row.presence_id), hostOf(row.name)],
          did: isInternalNumber(callee) ? undefined : callee,
        },
      );
      // A leg we already hold keeps its tenant (its events had the variables a show row lacks).
      const existing = await this.get(row.uuid);
      const tenantId = tenant?.id ?? existing?.tenantId;
      if (!tenantId) continue;
      const active = row.callstate === 'ACTIVE' || row.callstate === 'HELD';
      const other = active
        ? siblings.find((s) => s.callstate === 'ACTIVE' || s.callstate === 'HELD')
        : undefined;
      const created = Number(row.created_epoch);
      const call: LiveCall = {
        uuid: row.uuid,
        nodeId,
        tenantId,
        direction: classifyDirection({}, callerNumber, callee),
        callerNumber,
        callerName: row.cid_name ?? '',
        callee,
        state: other ? 'bridged' : active ? 'answered' : 'ringing',
        otherUuid: other?.uuid ?? null,
        createdAt: Number.isFinite(created) && created > 0 ? new Date(created * 1000).toISOString() : now,
        since: now,
      };
      seen.add(row.uuid);
      if (
        existing &&
        existing.state === call.state &&
        existing.otherUuid === call.otherUuid &&
        existing.tenantId === call.tenantId
      ) {
        continue; // unchanged: keep the leg's own direction/since from its events
      }
      await this.save(
        existing ? { ...existing, state: call.state, otherUuid: call.otherUuid, since: now } : call,
      );
      upserted++;
    }
    let removed = 0;
    for (const uuid of await this.redis.smembers(this.nodeKey(nodeId))) {
      if (!seen.has(uuid) && (await this.remove(uuid, false))) removed++;
    }
    return { upserted, removed };
  }

  /**
   * The change feed of one tenant over Redis pub/sub, for an SSE endpoint.
   * Resolves once subscribed (so nothing published afterwards is missed);
   * uses its own subscriber connection, released by `close()`, by aborting
   * `signal`, or when the consumer stops iterating.
   */
  async changes(tenantId: string, signal?: AbortSignal): Promise<LiveCallFeed> {
    const sub = this.redis.duplicate();
    const queue: LiveCallChange[] = [];
    let wake: (() => void) | null = null;
    let closed = false;
    sub.on('message', (_channel: string, message: string) => {
      const parsed = LiveCallChangeSchema.safeParse(JSON.parse(message));
      if (parsed.success) queue.push(parsed.data);
      wake?.();
    });
    const close = (): void => {
      if (closed) return;
      closed = true;
      sub.disconnect();
      wake?.();
    };
    signal?.addEventListener('abort', close, { once: true });
    await sub.subscribe(liveCallsChannel(this.prefix, tenantId));
    async function* iterate(): AsyncGenerator<LiveCallChange> {
      try {
        while (!closed) {
          const next = queue.shift();
          if (next) {
            yield next;
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
        }
      } finally {
        signal?.removeEventListener('abort', close);
        close();
      }
    }
    const iterator = iterate();
    return Object.assign(iterator, { close });
  }

  private chKey(uuid: string): string {
    return `${this.prefix}:live:ch:${uuid}`;
  }
  private goneKey(uuid: string): string {
    return `${this.prefix}:live:gone:${uuid}`;
  }
  private tenantKey(tenantId: string): string {
    return `${this.prefix}:live:tenant:${tenantId}`;
  }
  private nodeKey(nodeId: string): string {
    return `${this.prefix}:live:node:${nodeId}`;
  }

  private async get(uuid: string): Promise<LiveCall | null> {
    return parseLiveCall(await this.redis.get(this.chKey(uuid)));
  }

  /** The leg and whether it has a tombstone, in one round trip. */
  private async getWithGone(uuid: string): Promise<[LiveCall | null, boolean]> {
    const res = await this.redis.pipeline().get(this.chKey(uuid)).exists(this.goneKey(uuid)).exec();
    const [getRes, existsRes] = res ?? [];
    if (getRes?.[0]) throw getRes[0];
    if (existsRes?.[0]) throw existsRes[0];
    return [parseLiveCall(getRes?.[1]), existsRes?.[1] === 1];
  }

  private async save(call: LiveCall): Promise<void> {
    const change: LiveCallChange = { type: 'upsert', tenantId: call.tenantId, call };
    await this.redis
      .multi()
      .set(this.chKey(call.uuid), JSON.stringify(call), 'EX', this.maxCallSec)
      .sadd(this.tenantKey(call.tenantId), call.uuid)
      .sadd(this.nodeKey(call.nodeId), call.uuid)
      .publish(liveCallsChannel(this.prefix, call.tenantId), JSON.stringify(change))
      .exec();
  }

  /** `tombstone`: late events of a hung-up leg (they do arrive after HANGUP) must not bring it back. */
  // Reads and deletes the leg (and sets the tombstone) in one MULTI, so a leg already gone — the
  // second and third of HANGUP / HANGUP_COMPLETE / DESTROY — costs one round trip; the set
  // memberships and the change message follow only for a leg that existed.
  private async remove(uuid: string, tombstone: boolean): Promise<boolean> {
    const first = this.redis.multi().get(this.chKey(uuid)).del(this.chKey(uuid));
    if (tombstone) first.set(this.goneKey(uuid), '1', 'EX', 300);
    const res = await first.exec();
    const getRes = res?.[0];
    if (!res || !getRes) throw new Error(`live call ${uuid}: removal transaction was discarded`);
    const failed = res.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
    const existing = parseLiveCall(getRes[1]);
    if (existing) {
      const change: LiveCallChange = { type: 'remove', tenantId: existing.tenantId, uuid };
      await this.redis
        .multi()
        .srem(this.tenantKey(existing.tenantId), uuid)
        .srem(this.nodeKey(existing.nodeId), uuid)
        .publish(liveCallsChannel(this.prefix, existing.tenantId), JSON.stringify(change))
        .exec();
    }
    return existing !== null;
  }

  private async fromEvent(
    event: EslEvent,
    nodeId: string,
    uuid: string,
    at: string,
    checkGone = true,
  ): Promise<LiveCall | null> {
    if (checkGone && (await this.redis.exists(this.goneKey(uuid))) === 1) return null;
    const vars = channelVariables(event);
    const callerNumber = header(event, 'Caller-Caller-ID-Number') ?? '';
    const callee = header(event, 'Caller-Destination-Number') ?? '';
    const direction = classifyDirection(vars, callerNumber, callee);
    const { tenant } = await resolveLegTenant(this.tenants, vars, {
      extraDomains: [hostOf(header(event, 'Channel-Presence-ID')), hostOf(header(event, 'Channel-Name'))],
      did: direction === 'INBOUND' ? callee : undefined,
    });
    if (!tenant) return null;
    const answer = header(event, 'Answer-State');
    const createdUs = Number(header(event, 'Caller-Channel-Created-Time'));
    return {
      uuid,
      nodeId,
      tenantId: tenant.id,
      direction,
      callerNumber,
      callerName: header(event, 'Caller-Caller-ID-Name') ?? '',
      callee,
      state: answer === 'answered' ? 'answered' : 'ringing',
      otherUuid: null,
      createdAt: createdUs > 0 ? new Date(Math.floor(createdUs / 1000)).toISOString() : at,
      since: at,
    };
  }

  private async readSet(setKey: string): Promise<LiveCall[]> {
    const uuids = await this.redis.smembers(setKey);
    if (uuids.length === 0) return [];
    const values = await this.redis.mget(...uuids.map((u) => this.chKey(u)));
    const out: LiveCall[] = [];
    const stale: string[] = [];
    values.forEach((raw, i) => {
      const parsed = raw ? LiveCallSchema.safeParse(JSON.parse(raw)) : null;
      if (parsed?.success) out.push(parsed.data);
      else stale.push(uuids[i] ?? '');
    });
    if (stale.length > 0) await this.redis.srem(setKey, ...stale);
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.uuid.localeCompare(b.uuid));
  }
}

function parseLiveCall(raw: unknown): LiveCall | null {
  if (typeof raw !== 'string' || !raw) return null;
  const parsed = LiveCallSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}

function eventTime(event: EslEvent): string {
  const us = Number(header(event, 'Event-Date-Timestamp'));
  return new Date(us > 0 ? Math.floor(us / 1000) : Date.now()).toISOString();
}
