import type { Redis } from 'ioredis';
import { z } from 'zod';
import { classifyDirection, hostOf, isInternalNumber, resolveLegTenant } from '../classify.js';
import { LiveCallSchema, liveCallsChannel, type LiveCall } from '../contracts.js';
import { eventName, eventNode, header, type EslEvent } from '../event.js';
import type { TenantRef, TenantResolver } from '../tenants.js';
import { legFromEvent, legTenantQuery, NEED_TENANT } from './leg.js';
import { GONE, LegMirror } from './mirror.js';
import { LiveCallReader, liveCallKeys, type LiveCallFeed } from './reader.js';
import { LiveCallRedisWriter, type LiveCallWriteError, type Reply } from './redis-writer.js';

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

export type { LiveCallWriteError } from './redis-writer.js';

export type LiveCallStoreOptions = {
  redis: Redis;
  prefix: string;
  tenants: TenantResolver;
  /** Safety net for a leg whose hang-up event was missed and no rebuild ran: gone after this long. */
  maxCallSec?: number;
  /**
   * Failed Redis writes (or read-throughs) of `submitChannelEvent`, which nobody awaits: count and
   * log them here. They are counted in `writeErrors` in any case. (`applyChannelEvent` rejects instead.)
   */
  onError?: (error: LiveCallWriteError) => void;
};

export type { LiveCallFeed } from './reader.js';

export type LiveCallEventResult = {
  action: 'upserted' | 'removed' | 'ignored';
  uuids: string[];
  reason?: string;
};

/** Late events of a hung-up leg (they do arrive after HANGUP) must not bring it back for this long. */
const TOMBSTONE_SEC = 300;
/**
 * The mirror keeps a tombstone shorter than Redis does (memory: one per leg that ended): it spares
 * the Redis work of HANGUP_COMPLETE / DESTROY right after HANGUP. Later, Redis's tombstone still
 * refuses the leg (a read-through sees it, and every write checks it).
 */
const MIRROR_TOMBSTONE_MS = 60_000;

/** The channel events the live view is made of: what a controller must subscribe to and submit. */
export const LIVE_CALL_EVENTS = [
  'CHANNEL_CREATE',
  'CHANNEL_ANSWER',
  'CHANNEL_BRIDGE',
  'CHANNEL_UNBRIDGE',
  'CHANNEL_HANGUP',
  'CHANNEL_HANGUP_COMPLETE',
  'CHANNEL_DESTROY',
] as const;
const CHANNEL_EVENTS = new Set<string>(LIVE_CALL_EVENTS);

const ignored = (reason: string): LiveCallEventResult => ({ action: 'ignored', uuids: [], reason });

/** One channel event on its way through the store. */
type Job = {
  event: EslEvent;
  name: string;
  uuid: string;
  nodeId: string;
  outcome: Outcome | undefined;
  /** The legs this job needed have been read from Redis: what the mirror lacks now does not exist. */
  loaded: boolean;
  /** The tenant, once looked up the slow way (undefined: not yet). */
  tenant: TenantRef | null | undefined;
};

/** What a job must wait for before it can be applied. */
type Need = { read: string[] } | typeof NEED_TENANT;

/** The promise of one `applyChannelEvent`: its result, once every write it made has been answered. */
class Outcome {
  result: LiveCallEventResult | undefined;
  private ops = 0;
  private error: Error | null = null;
  /** Legs whose upsert Redis refused: they hung up (another controller saw it first). */
  private refused: string[] | undefined;
  constructor(
    private readonly resolve: (r: LiveCallEventResult) => void,
    private readonly reject: (e: Error) => void,
  ) {}
  expect(): Reply {
    this.ops++;
    return this.answered;
  }
  /** The reply of one leg's upsert, which Redis may refuse. */
  expectUpsert(uuid: string): Reply {
    this.ops++;
    return (error, value) => {
      if (!error && value === -1) (this.refused ??= []).push(uuid);
      this.answered(error, value);
    };
  }
  private readonly answered: Reply = (error) => {
    if (error) this.error ??= error;
    this.ops--;
    this.check();
  };
  finish(result: LiveCallEventResult): void {
    this.result = result;
    this.check();
  }
  fail(error: Error): void {
    this.error ??= error;
    this.result ??= ignored('failed');
    this.check();
  }
  private check(): void {
    if (this.result === undefined || this.ops > 0) return;
    if (this.error) return this.reject(this.error);
    const refused = this.refused;
    if (refused && this.result.action === 'upserted') {
      const uuids = this.result.uuids.filter((u) => !refused.includes(u));
      this.result =
        uuids.length > 0 ? { ...this.result, uuids } : ignored('hung up (Redis has its tombstone)');
    }
    this.resolve(this.result);
  }
}

/**
 * Active channels per tenant in Redis, kept from CHANNEL_CREATE / ANSWER /
 * BRIDGE / UNBRIDGE / HANGUP(_COMPLETE) / DESTROY, rebuilt per node from
 * `show channels as json` after a restart. Every change is published on the
 * tenant's channel (`liveCallsChannel`) for the SSE endpoint.
 *
 * Events are applied in arrival order to an in-process mirror of the legs
 * (`LegMirror`), synchronously in the common case; the Redis writes follow,
 * batched per turn of the event loop (`LiveCallRedisWriter`), each one an
 * atomic script that refuses a hung-up leg, so two controllers applying the
 * same events still end with the same state and no leg comes back. A leg the
 * mirror does not know is read through from Redis when its old state matters
 * (ANSWER, BRIDGE, UNBRIDGE); events of that leg wait meanwhile, so each leg's
 * events always apply in order. A tenant not in the resolver's cache is looked
 * up the same way.
 */
export class LiveCallStore {
  /** Failed writes and read-throughs of `submitChannelEvent` (also given to `onError`). */
  writeErrors = 0;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly tenants: TenantResolver;
  private readonly keys: ReturnType<typeof liveCallKeys>;
  private readonly reader: LiveCallReader;
  private readonly mirror: LegMirror;
  private readonly writer: LiveCallRedisWriter;
  private readonly onError: ((error: LiveCallWriteError) => void) | undefined;
  /** Legs with a job waiting for Redis or the tenant lookup, and the promise the next job of the leg chains on. */
  private readonly busy = new Map<string, Promise<void>>();

  constructor(options: LiveCallStoreOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.tenants = options.tenants;
    this.onError = options.onError;
    const maxCallSec = options.maxCallSec ?? 12 * 3600;
    // Keys: see liveCallKeys; the writer adds `…:gone:<uuid>` (tombstones).
    this.keys = liveCallKeys(this.prefix);
    this.reader = new LiveCallReader(this.redis, this.prefix);
    this.mirror = new LegMirror(maxCallSec * 1000, MIRROR_TOMBSTONE_MS);
    this.writer = new LiveCallRedisWriter(
      this.redis,
      this.keys.base,
      liveCallsChannel(this.prefix, ''),
      maxCallSec,
      (e) => this.report(e),
      (call) => {
        // Redis had a tombstone (another controller saw the hang-up first): so does the mirror now.
        if (this.mirror.holds(call)) this.mirror.markGone(call.uuid);
      },
    );
  }

  /**
   * Applies one channel event and resolves once its Redis writes are done (or
   * rejects with their error). A stream of events should use
   * `submitChannelEvent`, which does the same without a promise per event.
   */
  applyChannelEvent(
    event: EslEvent,
    nodeId: string | undefined = eventNode(event),
  ): Promise<LiveCallEventResult> {
    return new Promise((resolve, reject) => this.accept(event, nodeId, new Outcome(resolve, reject)));
  }

  /**
   * Applies one channel event in arrival order; its Redis writes go out with
   * the next batch. Errors go to `onError` (and `writeErrors`). `idle()` waits
   * for everything submitted so far.
   */
  submitChannelEvent(event: EslEvent, nodeId: string | undefined = eventNode(event)): void {
    this.accept(event, nodeId, undefined);
  }

  /** Resolves once every event submitted so far is applied and its writes are answered by Redis. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.busy.size > 0) await Promise.all(new Set(this.busy.values()));
      else if (this.writer.busy) await this.writer.drain();
      else return;
    }
  }

  async list(tenantId: string): Promise<LiveCall[]> {
    await this.writer.drain(); // this process reads its own writes
    return this.reader.list(tenantId);
  }

  async listByNode(nodeId: string): Promise<LiveCall[]> {
    await this.writer.drain();
    return this.reader.listByNode(nodeId);
  }

  /**
   * Replaces what we hold for one node with its `show channels as json`
   * (text, parsed, or its rows). Two rows sharing a call_uuid while ACTIVE are the two
   * legs of a bridge. A leg that hung up meanwhile (tombstone) is not brought back.
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
    const failures: Error[] = [];
    const written: Reply = (error) => {
      if (error) failures.push(error);
    };
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
      // In the leg's turn: after the events of it already submitted, before the next ones.
      const outcome = await this.exclusive([row.uuid], async (): Promise<'skipped' | 'same' | 'saved'> => {
        const existing = await this.known(row.uuid, 'reconcile');
        if (existing === GONE) return 'skipped'; // hung up since the node answered
        // A leg we already hold keeps its tenant (its events had the variables a show row lacks).
        const tenantId = tenant?.id ?? existing?.tenantId;
        if (!tenantId) return 'skipped';
        const active = row.callstate === 'ACTIVE' || row.callstate === 'HELD';
        const other = active
          ? siblings.find((s) => s.callstate === 'ACTIVE' || s.callstate === 'HELD')
          : undefined;
        const state = other ? 'bridged' : active ? 'answered' : 'ringing';
        const otherUuid = other?.uuid ?? null;
        if (
          existing &&
          existing.state === state &&
          existing.otherUuid === otherUuid &&
          existing.tenantId === tenantId
        )
          return 'same'; // unchanged: keep the leg's own direction/since from its events
        const created = Number(row.created_epoch);
        this.save(
          existing
            ? { ...existing, state, otherUuid, since: now }
            : {
                uuid: row.uuid,
                nodeId,
                tenantId,
                direction: classifyDirection({}, callerNumber, callee),
                callerNumber,
                callerName: row.cid_name ?? '',
                callee,
                state,
                otherUuid,
                createdAt:
                  Number.isFinite(created) && created > 0 ? new Date(created * 1000).toISOString() : now,
                since: now,
              },
          'update',
          'reconcile',
          written,
        );
        return 'saved';
      });
      if (outcome !== 'skipped') seen.add(row.uuid);
      if (outcome === 'saved') upserted++;
    }
    await this.writer.drain(); // the node's set below includes what we just wrote
    if (failures[0]) throw failures[0];
    const stale = (await this.redis.smembers(this.keys.node(nodeId))).filter((uuid) => !seen.has(uuid));
    const removed = await Promise.all(
      stale.map((uuid) =>
        this.exclusive(
          [uuid],
          () =>
            new Promise<boolean>((resolve, reject) => {
              this.mirror.forget(uuid);
              this.writer.remove(uuid, 0, 'reconcile', (error, existed) =>
                error ? reject(error) : resolve(existed === 1),
              );
            }),
        ),
      ),
    );
    return { upserted, removed: removed.filter(Boolean).length };
  }

  /** The change feed of one tenant (see LiveCallReader.changes). */
  changes(tenantId: string, signal?: AbortSignal): Promise<LiveCallFeed> {
    return this.reader.changes(tenantId, signal);
  }

  private accept(event: EslEvent, nodeId: string | undefined, outcome: Outcome | undefined): void {
    const name = eventName(event);
    const uuid = header(event, 'Unique-ID');
    if (!uuid || !nodeId) {
      outcome?.finish(ignored('no Unique-ID or node'));
      return;
    }
    if (name === undefined || !CHANNEL_EVENTS.has(name)) {
      outcome?.finish(ignored(`not a channel event (${name ?? 'none'})`));
      return;
    }
    const job: Job = { event, name, uuid, nodeId, outcome, loaded: false, tenant: undefined };
    if (this.busy.size > 0) {
      const legs = legsOf(job);
      const before = this.waitFor(legs);
      if (before) {
        this.markBusy(
          legs,
          before.then(() => this.run(job)),
        );
        return;
      }
    }
    const pending = this.run(job);
    if (pending) this.markBusy(legsOf(job), pending);
  }

  /** Applies the job now, or returns the promise of applying it once what it needs is there. Never rejects. */
  private run(job: Job): Promise<void> | undefined {
    try {
      const need = this.step(job);
      return need === undefined ? undefined : this.fulfil(job, need);
    } catch (error) {
      this.failed(job, error);
      return undefined;
    }
  }

  private async fulfil(job: Job, first: Need): Promise<void> {
    try {
      for (let need: Need | undefined = first; need !== undefined; need = this.step(job)) {
        if (need === NEED_TENANT) {
          const query = legTenantQuery(job.event);
          job.tenant = (await resolveLegTenant(this.tenants, query.vars, query.options)).tenant;
        } else {
          await Promise.all(need.read.map((uuid) => this.known(uuid, job.name)));
          job.loaded = true;
        }
      }
    } catch (error) {
      this.failed(job, error);
    }
  }

  /**
   * The event's effect on the mirror and the writes it queues, or what it needs first. Every
   * path either finishes the job or returns a need, and a need is never asked for twice
   * (`loaded` / `tenant` are set once it is met).
   */
  private step(job: Job): Need | undefined {
    const { name, uuid, outcome } = job;
    switch (name) {
      case 'CHANNEL_HANGUP':
      case 'CHANNEL_HANGUP_COMPLETE':
      case 'CHANNEL_DESTROY': {
        const known = this.mirror.get(uuid);
        if (known === GONE) {
          outcome?.finish(ignored('unknown leg'));
          return undefined;
        }
        this.mirror.markGone(uuid);
        if (known) {
          this.writer.remove(uuid, TOMBSTONE_SEC, name, outcome?.expect());
          outcome?.finish({ action: 'removed', uuids: [uuid] });
          return undefined;
        }
        // Not known here (a restart, another controller's leg): Redis removes whatever it holds.
        if (!outcome) {
          this.writer.remove(uuid, TOMBSTONE_SEC, name);
          return undefined;
        }
        const answered = outcome.expect();
        this.writer.remove(uuid, TOMBSTONE_SEC, name, (error, existed) => {
          if (!error && existed === 1) outcome.result = { action: 'removed', uuids: [uuid] };
          answered(error, existed);
        });
        outcome?.finish(ignored('unknown leg'));
        return undefined;
      }
      case 'CHANNEL_CREATE':
      case 'CHANNEL_ANSWER': {
        const known = this.mirror.get(uuid);
        if (known === GONE) {
          outcome?.finish(ignored('unknown tenant or hung up'));
          return undefined;
        }
        if (known) {
          if (name === 'CHANNEL_CREATE' || known.state !== 'ringing') {
            outcome?.finish(ignored('no change'));
            return undefined;
          }
          this.save(
            { ...known, state: 'answered', since: eventTime(job.event) },
            'update',
            name,
            outcome?.expectUpsert(uuid),
          );
          outcome?.finish({ action: 'upserted', uuids: [uuid] });
          return undefined;
        }
        // An ANSWER for a leg we never saw: Redis may hold it (written before a restart, or by another controller).
        if (name === 'CHANNEL_ANSWER' && !job.loaded) return { read: [uuid] };
        const call = legFromEvent(
          job.event,
          job.nodeId,
          uuid,
          eventTime(job.event),
          this.tenants,
          job.tenant,
        );
        if (call === NEED_TENANT) return NEED_TENANT;
        if (!call) {
          outcome?.finish(ignored('unknown tenant or hung up'));
          return undefined;
        }
        // A CREATE never overwrites: if Redis has the leg, another controller wrote it from this very event.
        this.save(call, name === 'CHANNEL_CREATE' ? 'create' : 'update', name, outcome?.expectUpsert(uuid));
        outcome?.finish({ action: 'upserted', uuids: [uuid] });
        return undefined;
      }
      default: {
        // CHANNEL_BRIDGE / CHANNEL_UNBRIDGE: both legs change.
        const a = header(job.event, 'Bridge-A-Unique-ID') ?? uuid;
        const b = header(job.event, 'Bridge-B-Unique-ID');
        const knownA = this.mirror.get(a);
        const knownB = b === undefined ? undefined : this.mirror.get(b);
        if (!job.loaded) {
          const read: string[] = [];
          if (knownA === undefined) read.push(a);
          if (b !== undefined && b !== a && knownB === undefined) read.push(b);
          if (read.length > 0) return { read };
        }
        const bridged = name === 'CHANNEL_BRIDGE';
        const at = eventTime(job.event);
        // Both new states first, so a tenant lookup half-way cannot leave one leg written twice.
        const next: LiveCall[] = [];
        for (const [leg, known, other] of [
          [a, knownA, b],
          [b, knownB, a],
        ] as const) {
          if (leg === undefined || known === GONE) continue;
          let existing: LiveCall | null = known ?? null;
          if (!existing && leg === uuid) {
            const call = legFromEvent(job.event, job.nodeId, uuid, at, this.tenants, job.tenant);
            if (call === NEED_TENANT) return NEED_TENANT;
            existing = call;
          }
          if (!existing) continue;
          next.push({
            ...existing,
            state: bridged ? 'bridged' : 'answered',
            otherUuid: bridged ? (other ?? null) : null,
            since: at,
          });
        }
        for (const call of next) this.save(call, 'update', name, outcome?.expectUpsert(call.uuid));
        outcome?.finish({
          action: next.length > 0 ? 'upserted' : 'ignored',
          uuids: next.map((c) => c.uuid),
        });
        return undefined;
      }
    }
  }

  private save(call: LiveCall, mode: 'create' | 'update', cause: string, reply: Reply | undefined): void {
    this.mirror.set(call);
    this.writer.upsert(call, mode, cause, reply);
  }

  /** What the mirror knows of a leg, reading it through from Redis when it knows nothing. */
  private async known(uuid: string, cause: string): Promise<LiveCall | typeof GONE | undefined> {
    const known = this.mirror.get(uuid);
    if (known !== undefined) return known;
    const [raw, gone] = await new Promise<[unknown, boolean]>((resolve, reject) =>
      this.writer.read(uuid, cause, (error, value) =>
        error ? reject(error) : resolve(value as [unknown, boolean]),
      ),
    );
    // The leg's events wait for this read, so nothing else filled the mirror meanwhile (but be sure).
    const now = this.mirror.get(uuid);
    if (now !== undefined) return now;
    if (gone) {
      this.mirror.markGone(uuid);
      return GONE;
    }
    const call = parseLiveCall(raw);
    if (call) this.mirror.set(call);
    return call ?? undefined;
  }

  /** Runs `task` in the turn of `legs`: after their jobs in progress, before any that come later. */
  private exclusive<T>(legs: string[], task: () => Promise<T>): Promise<T> {
    const run = (this.waitFor(legs) ?? Promise.resolve()).then(task);
    this.markBusy(
      legs,
      run.then(
        () => undefined,
        () => undefined,
      ),
    );
    return run;
  }

  private waitFor(legs: readonly string[]): Promise<void> | undefined {
    let wait: Promise<void> | undefined;
    for (const leg of legs) {
      const p = this.busy.get(leg);
      if (p && p !== wait) wait = wait ? Promise.all([wait, p]).then(() => undefined) : p;
    }
    return wait;
  }

  private markBusy(legs: readonly string[], done: Promise<void>): void {
    for (const leg of legs) this.busy.set(leg, done);
    void done.then(() => {
      for (const leg of legs) if (this.busy.get(leg) === done) this.busy.delete(leg);
    });
  }

  private failed(job: Job, error: unknown): void {
    const e = error instanceof Error ? error : new Error(String(error));
    if (job.outcome) job.outcome.fail(e);
    else this.report({ error: e, uuid: job.uuid, op: 'read', cause: job.name });
  }

  private report(e: LiveCallWriteError): void {
    this.writeErrors++;
    this.onError?.(e);
  }
}

/** The legs a job touches (a bridge event: both). */
function legsOf(job: Job): string[] {
  if (job.name !== 'CHANNEL_BRIDGE' && job.name !== 'CHANNEL_UNBRIDGE') return [job.uuid];
  const legs = [job.uuid];
  for (const leg of [header(job.event, 'Bridge-A-Unique-ID'), header(job.event, 'Bridge-B-Unique-ID')])
    if (leg !== undefined && !legs.includes(leg)) legs.push(leg);
  return legs;
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
