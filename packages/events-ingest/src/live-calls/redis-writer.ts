import type { Redis } from 'ioredis';
import type { LiveCall } from '../contracts.js';

/**
 * Applies a batch of leg operations in order, atomically, in one round trip.
 * ARGV: key prefix (`<prefix>:live:`), change-channel prefix, leg TTL (s), then the ops:
 *   U <mode c|u> <uuid> <tenantId> <nodeId> <json>  upsert, unless the leg hung up (tombstone); mode c
 *                                                    also leaves an existing leg alone → 1 / 0 / -1 (refused)
 *   R <uuid> <tombstone s, 0 = none>                  remove, index entries and change message following
 *                                                    what Redis held → 1 existed / 0
 *   G <uuid>                                         read → {json or false, 1 if tombstone}
 * Keys are built here from the prefix: like the MULTIs this replaced, it assumes one Redis (no cluster).
 */
const BATCH_LUA = `
local p, cp, ttl = ARGV[1], ARGV[2], ARGV[3]
local out = {}
local i = 4
while i <= #ARGV do
  local op = ARGV[i]
  if op == 'U' then
    local mode, uuid, tenant, node, json = ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
    i = i + 6
    if redis.call('EXISTS', p .. 'gone:' .. uuid) == 1 then
      out[#out + 1] = -1
    elseif mode == 'c' and redis.call('EXISTS', p .. 'ch:' .. uuid) == 1 then
      out[#out + 1] = 0
    else
      redis.call('SET', p .. 'ch:' .. uuid, json, 'EX', ttl)
      redis.call('SADD', p .. 'tenant:' .. tenant, uuid)
      redis.call('SADD', p .. 'node:' .. node, uuid)
      redis.call('PUBLISH', cp .. tenant,
        '{"type":"upsert","tenantId":' .. cjson.encode(tenant) .. ',"call":' .. json .. '}')
      out[#out + 1] = 1
    end
  elseif op == 'R' then
    local uuid, tombstone = ARGV[i + 1], tonumber(ARGV[i + 2])
    i = i + 3
    local key = p .. 'ch:' .. uuid
    local raw = redis.call('GET', key)
    if tombstone > 0 then redis.call('SET', p .. 'gone:' .. uuid, '1', 'EX', tombstone) end
    if raw then
      redis.call('DEL', key)
      local ok, leg = pcall(cjson.decode, raw)
      if ok and type(leg) == 'table' and type(leg.tenantId) == 'string' and type(leg.nodeId) == 'string' then
        redis.call('SREM', p .. 'tenant:' .. leg.tenantId, uuid)
        redis.call('SREM', p .. 'node:' .. leg.nodeId, uuid)
        redis.call('PUBLISH', cp .. leg.tenantId,
          '{"type":"remove","tenantId":' .. cjson.encode(leg.tenantId) .. ',"uuid":' .. cjson.encode(uuid) .. '}')
      end
      out[#out + 1] = 1
    else
      out[#out + 1] = 0
    end
  elseif op == 'G' then
    local uuid = ARGV[i + 1]
    i = i + 2
    out[#out + 1] = { redis.call('GET', p .. 'ch:' .. uuid), redis.call('EXISTS', p .. 'gone:' .. uuid) }
  else
    return redis.error_reply('unknown live-call op ' .. tostring(op))
  end
end
return out`;

const BATCH = 'pbxLiveCallBatch';
/** Ops per script call: a script blocks Redis while it runs, so a huge burst goes as several calls. */
const MAX_OPS_PER_CALL = 500;

type Batching = { [BATCH]: (...args: string[]) => Promise<unknown[]> };

export type Reply = (error: Error | null, value: unknown) => void;

type Op =
  | { kind: 'upsert'; call: LiveCall; json: string; create: boolean; cause: string; reply: Reply | undefined }
  | { kind: 'remove'; uuid: string; tombstoneSec: number; cause: string; reply: Reply | undefined }
  | { kind: 'read'; uuid: string; cause: string; reply: Reply };

export type LiveCallWriteError = {
  error: Error;
  uuid: string;
  op: 'upsert' | 'remove' | 'read';
  cause: string;
};

/**
 * The store's Redis traffic: every write (and the rare read-through) is queued
 * and sent on the next turn of the event loop as one script call that applies
 * the ops in the order they were queued, so the writes of one leg land in the
 * order its events came. One call is in flight at a time: what is queued
 * meanwhile goes in the next call as soon as it is answered, so a burst makes
 * bigger calls rather than more of them. Nothing awaits a single write. Each reply goes to the op's callback when it has one;
 * otherwise an error goes to `onError` (the caller counts and logs it). A
 * failing call (Redis down, out of memory) fails every op in it: a script stops
 * at its first error, so part of the batch may be applied, which the next
 * write of each leg (a full state) or the next reconciliation repairs.
 */
export class LiveCallRedisWriter {
  private queue: Op[] = [];
  private scheduled = false;
  private defined = false;
  /** Script calls sent and not answered yet: while there are, new ops wait and go together afterwards. */
  private inFlight = 0;
  /** Ops ever queued / answered (answers come in queue order). */
  private queued = 0;
  private answered = 0;
  private waiters: Array<{ upTo: number; resolve: () => void }> = [];
  private readonly head: string[];

  constructor(
    private readonly redis: Redis,
    /** `<prefix>:live:` */
    keyPrefix: string,
    /** `liveCallsChannel(prefix, '')` */
    channelPrefix: string,
    ttlSec: number,
    private readonly onError: (e: LiveCallWriteError) => void,
    /** Called when Redis refused an upsert because the leg hung up meanwhile (another controller saw it). */
    private readonly onRefused: (call: LiveCall) => void,
  ) {
    this.head = [keyPrefix, channelPrefix, String(ttlSec)];
  }

  /** Ops queued or sent and not answered yet. */
  get busy(): boolean {
    return this.answered < this.queued;
  }

  upsert(call: LiveCall, mode: 'create' | 'update', cause: string, reply?: Reply): void {
    this.push({ kind: 'upsert', call, json: JSON.stringify(call), create: mode === 'create', cause, reply });
  }

  remove(uuid: string, tombstoneSec: number, cause: string, reply?: Reply): void {
    this.push({ kind: 'remove', uuid, tombstoneSec, cause, reply });
  }

  /** The leg's JSON (or null) and whether it has a tombstone: reply value `[raw, gone]`. */
  read(uuid: string, cause: string, reply: Reply): void {
    this.push({ kind: 'read', uuid, cause, reply });
  }

  /** Resolves once every op queued so far has been answered (sending them now if nothing is in flight). */
  drain(): Promise<void> {
    const upTo = this.queued;
    if (this.answered >= upTo) return Promise.resolve();
    this.flush();
    return new Promise((resolve) => this.waiters.push({ upTo, resolve }));
  }

  private push(op: Op): void {
    this.queue.push(op);
    this.queued++;
    if (this.scheduled || this.inFlight > 0) return; // the answer of the call in flight sends these
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight > 0 || this.queue.length === 0) return;
    const queue = this.queue;
    this.queue = [];
    if (!this.defined) {
      this.redis.defineCommand(BATCH, { numberOfKeys: 0, lua: BATCH_LUA });
      this.defined = true;
    }
    for (let start = 0; start < queue.length; start += MAX_OPS_PER_CALL) {
      const ops = queue.length <= MAX_OPS_PER_CALL ? queue : queue.slice(start, start + MAX_OPS_PER_CALL);
      const args = this.head.slice();
      for (const op of ops) {
        if (op.kind === 'upsert')
          args.push('U', op.create ? 'c' : 'u', op.call.uuid, op.call.tenantId, op.call.nodeId, op.json);
        else if (op.kind === 'remove') args.push('R', op.uuid, String(op.tombstoneSec));
        else args.push('G', op.uuid);
      }
      this.inFlight++;
      (this.redis as unknown as Batching)[BATCH](...args).then(
        (results) => this.settle(ops, results, null),
        (error: unknown) => this.settle(ops, null, error instanceof Error ? error : new Error(String(error))),
      );
    }
  }

  private settle(ops: Op[], results: unknown[] | null, failure: Error | null): void {
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as Op;
      const error = failure ?? (results && i < results.length ? null : new Error('short reply from Redis'));
      const value = results?.[i];
      if (op.kind === 'read') {
        const [raw, gone]: unknown[] = Array.isArray(value) ? (value as unknown[]) : [null, 0];
        this.answer(op, error, [raw ?? null, gone === 1]);
        continue;
      }
      if (!error && op.kind === 'upsert' && value === -1) this.onRefused(op.call);
      this.answer(op, error, value);
    }
    this.answered += ops.length;
    if (--this.inFlight === 0) this.flush();
    if (this.waiters.length > 0) {
      const ready = this.waiters.filter((w) => w.upTo <= this.answered);
      this.waiters = this.waiters.filter((w) => w.upTo > this.answered);
      for (const w of ready) w.resolve();
    }
  }

  private answer(op: Op, error: Error | null, value: unknown): void {
    if (op.reply) {
      try {
        op.reply(error, value);
      } catch (replyError) {
        // A callback's bug must not leave the ops after it unanswered (idle() would never resolve).
        this.onError({
          error: replyError instanceof Error ? replyError : new Error(String(replyError)),
          uuid: op.kind === 'upsert' ? op.call.uuid : op.uuid,
          op: op.kind,
          cause: op.cause,
        });
      }
      return;
    }
    if (error)
      this.onError({
        error,
        uuid: op.kind === 'upsert' ? op.call.uuid : op.uuid,
        op: op.kind,
        cause: op.cause,
      });
  }
}
