import type { Redis } from 'ioredis';
import { resolveLegTenant } from '../classify.js';
import { liveCallsChannel, type LiveCall } from '../contracts.js';
import { eventName, eventNode, header, type EslHeaders } from '../event.js';
import type { TenantResolver } from '../tenants.js';
import { openLiveCallFeed, type LiveCallFeed } from './change-feed.js';
import { CHANNEL_EVENTS, legsOf, LiveCallStateMachine, type Job, type Need } from './channel-events.js';
import { legTenantQuery, NEED_TENANT } from './leg.js';
import { LegQueue } from './leg-queue.js';
import { GONE, LegMirror } from './mirror.js';
import { ignored, Outcome, type LiveCallEventResult } from './outcome.js';
import { LiveCallReader, liveCallKeys, parseLiveCall } from './reader.js';
import { rebuildFromShowChannels, type ReconcileParts } from './reconcile.js';
import { LiveCallRedisWriter, type LiveCallWriteError } from './redis-writer.js';

export { LIVE_CALL_EVENTS } from './channel-events.js';
export type { LiveCallFeed } from './change-feed.js';
export type { LiveCallEventResult } from './outcome.js';
export { ShowChannelRowSchema, type ShowChannelRow } from './reconcile.js';
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

/**
 * The mirror keeps a tombstone shorter than Redis does (memory: one per leg that ended): it spares
 * the Redis work of HANGUP_COMPLETE / DESTROY right after HANGUP. Later, Redis's tombstone still
 * refuses the leg (a read-through sees it, and every write checks it).
 */
const MIRROR_TOMBSTONE_MS = 60_000;

/**
 * Active channels per tenant in Redis, kept from CHANNEL_CREATE / ANSWER /
 * BRIDGE / UNBRIDGE / HANGUP(_COMPLETE) / DESTROY, rebuilt per node from
 * `show channels as json` after a restart (reconcile.ts). Every change is published on the
 * tenant's channel (`liveCallsChannel`) for the SSE endpoint (change-feed.ts).
 *
 * Events are applied in arrival order to an in-process mirror of the legs
 * (`LegMirror`), synchronously in the common case, by the state machine in channel-events.ts;
 * the Redis writes follow, batched per turn of the event loop (`LiveCallRedisWriter`), each one an
 * atomic script that refuses a hung-up leg, so two controllers applying the
 * same events still end with the same state and no leg comes back. A leg the
 * mirror does not know is read through from Redis when its old state matters
 * (ANSWER, BRIDGE, UNBRIDGE); events of that leg wait meanwhile (`LegQueue`), so each leg's
 * events always apply in order. A tenant not in the resolver's cache is looked
 * up the same way.
 */
export class LiveCallStore {
  /** Failed writes and read-throughs of `submitChannelEvent` (also given to `onError`). */
  writeErrors = 0;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly tenants: TenantResolver;
  private readonly mirror: LegMirror;
  private readonly writer: LiveCallRedisWriter;
  private readonly reader: LiveCallReader;
  private readonly machine: LiveCallStateMachine;
  private readonly onError: ((error: LiveCallWriteError) => void) | undefined;
  /** Legs with a job waiting for Redis or the tenant lookup. */
  private readonly queue = new LegQueue();
  private readonly reconcileParts: ReconcileParts;

  constructor(options: LiveCallStoreOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.tenants = options.tenants;
    this.onError = options.onError;
    const maxCallSec = options.maxCallSec ?? 12 * 3600;
    this.mirror = new LegMirror(maxCallSec * 1000, MIRROR_TOMBSTONE_MS);
    this.writer = new LiveCallRedisWriter(
      this.redis,
      liveCallKeys(this.prefix).head,
      liveCallsChannel(this.prefix, ''),
      maxCallSec,
      (e) => this.report(e),
      (call) => {
        // Redis had a tombstone (another controller saw the hang-up first): so does the mirror now.
        if (this.mirror.holds(call)) this.mirror.markGone(call.uuid);
      },
    );
    this.reader = new LiveCallReader(this.redis, this.prefix);
    this.machine = new LiveCallStateMachine(this.mirror, this.writer, this.tenants);
    this.reconcileParts = {
      tenants: this.tenants,
      queue: this.queue,
      mirror: this.mirror,
      writer: this.writer,
      reader: this.reader,
      machine: this.machine,
      known: (uuid, cause) => this.known(uuid, cause),
    };
  }

  /**
   * Applies one channel event and resolves once its Redis writes are done (or
   * rejects with their error). A stream of events should use
   * `submitChannelEvent`, which does the same without a promise per event.
   */
  applyChannelEvent(
    event: EslHeaders,
    nodeId: string | undefined = eventNode(event),
  ): Promise<LiveCallEventResult> {
    return new Promise((resolve, reject) => this.accept(event, nodeId, new Outcome(resolve, reject)));
  }

  /**
   * Applies one channel event in arrival order; its Redis writes go out with
   * the next batch. Errors go to `onError` (and `writeErrors`). `idle()` waits
   * for everything submitted so far.
   */
  submitChannelEvent(event: EslHeaders, nodeId: string | undefined = eventNode(event)): void {
    this.accept(event, nodeId, undefined);
  }

  /** Resolves once every event submitted so far is applied and its writes are answered by Redis. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.queue.size > 0) await this.queue.settled();
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
  rebuildFromShowChannels(
    nodeId: string,
    showChannels: unknown,
  ): Promise<{ upserted: number; removed: number }> {
    return rebuildFromShowChannels(this.reconcileParts, nodeId, showChannels);
  }

  /**
   * The change feed of one tenant over Redis pub/sub, for an SSE endpoint.
   * Resolves once subscribed (so nothing published afterwards is missed);
   * uses its own subscriber connection, released by `close()`, by aborting
   * `signal`, or when the consumer stops iterating.
   */
  changes(tenantId: string, signal?: AbortSignal): Promise<LiveCallFeed> {
    return openLiveCallFeed(this.redis, liveCallsChannel(this.prefix, tenantId), signal);
  }

  private accept(event: EslHeaders, nodeId: string | undefined, outcome: Outcome | undefined): void {
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
    if (this.queue.size > 0) {
      const legs = legsOf(job);
      const before = this.queue.waitFor(legs);
      if (before) {
        this.queue.markBusy(
          legs,
          before.then(() => this.run(job)),
        );
        return;
      }
    }
    const pending = this.run(job);
    if (pending) this.queue.markBusy(legsOf(job), pending);
  }

  /** Applies the job now, or returns the promise of applying it once what it needs is there. Never rejects. */
  private run(job: Job): Promise<void> | undefined {
    try {
      const need = this.machine.step(job);
      return need === undefined ? undefined : this.fulfil(job, need);
    } catch (error) {
      this.failed(job, error);
      return undefined;
    }
  }

  private async fulfil(job: Job, first: Need): Promise<void> {
    try {
      for (let need: Need | undefined = first; need !== undefined; need = this.machine.step(job)) {
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
