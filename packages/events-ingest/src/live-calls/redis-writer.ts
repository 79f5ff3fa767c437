import type { ChainableCommander, Redis } from 'ioredis';
import type { LiveCall } from '../contracts.js';

// Both scripts touch only keys of one store prefix; like the MULTIs they replace, they assume one Redis (no cluster).

/**
 * Upsert one leg unless it hung up (tombstone), in one atomic step with its
 * index entries and its change message. Mode `create` also leaves an existing
 * leg alone (another controller, or an earlier life of this one, wrote it).
 * KEYS: leg, tombstone, tenant set, node set. ARGV: json, ttl, uuid, channel, message, mode.
 * Returns 1 written, 0 left alone (create over an existing leg), -1 refused (hung up).
 */
const UPSERT_LUA = `
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
if ARGV[6] == 'create' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('SADD', KEYS[3], ARGV[3])
redis.call('SADD', KEYS[4], ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1`;

/**
 * Remove one leg (and set its tombstone when ARGV[2] > 0). The index entries and the change
 * message follow what Redis held, so a process that does not know the leg can remove it too.
 * KEYS: leg, tombstone. ARGV: uuid, tombstone seconds, set key prefix, channel prefix.
 * Returns 1 when the leg existed.
 */
const REMOVE_LUA = `
local raw = redis.call('GET', KEYS[1])
if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[2], '1', 'EX', ARGV[2]) end
if not raw then return 0 end
redis.call('DEL', KEYS[1])
local ok, leg = pcall(cjson.decode, raw)
if ok and type(leg) == 'table' and type(leg.tenantId) == 'string' and type(leg.nodeId) == 'string' then
  redis.call('SREM', ARGV[3] .. 'tenant:' .. leg.tenantId, ARGV[1])
  redis.call('SREM', ARGV[3] .. 'node:' .. leg.nodeId, ARGV[1])
  redis.call('PUBLISH', ARGV[4] .. leg.tenantId,
    '{"type":"remove","tenantId":' .. cjson.encode(leg.tenantId) .. ',"uuid":' .. cjson.encode(ARGV[1]) .. '}')
end
return 1`;

const UPSERT = 'pbxLiveCallUpsert';
const REMOVE = 'pbxLiveCallRemove';

type Scripted = ChainableCommander & {
  [UPSERT]: (...args: string[]) => Scripted;
  [REMOVE]: (...args: string[]) => Scripted;
};

export type Reply = (error: Error | null, value: unknown) => void;

export type LiveCallKeys = {
  leg: (uuid: string) => string;
  gone: (uuid: string) => string;
  tenant: (tenantId: string) => string;
  node: (nodeId: string) => string;
  /** `${prefix}:live:` — what the remove script prepends to `tenant:<id>` / `node:<id>`. */
  setPrefix: string;
  channel: (tenantId: string) => string;
};

type Op =
  | {
      kind: 'upsert';
      call: LiveCall;
      json: string;
      mode: 'create' | 'update';
      cause: string;
      reply: Reply | undefined;
    }
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
 * and sent once per turn of the event loop as one pipeline, in the order it was
 * queued; Redis runs a pipeline's commands in order, so the writes of one leg
 * land in the order its events came. Nothing awaits a single write. Each reply
 * goes to the op's callback when it has one; otherwise an error goes to
 * `onError` (the caller counts and logs it).
 */
export class LiveCallRedisWriter {
  private queue: Op[] = [];
  private scheduled = false;
  private defined = false;
  private sent = 0;
  /** Pipelines sent and not answered yet, by sequence number. */
  private readonly unsettled = new Set<number>();
  private waiters: Array<{ upTo: number; resolve: () => void }> = [];

  constructor(
    private readonly redis: Redis,
    private readonly keys: LiveCallKeys,
    private readonly ttlSec: number,
    private readonly onError: (e: LiveCallWriteError) => void,
    /** Called when Redis refused an upsert because the leg hung up meanwhile (another controller saw it). */
    private readonly onRefused: (call: LiveCall) => void,
  ) {}

  /** Ops queued or sent and not answered yet. */
  get busy(): boolean {
    return this.queue.length > 0 || this.unsettled.size > 0;
  }

  upsert(call: LiveCall, mode: 'create' | 'update', cause: string, reply?: Reply): void {
    this.push({ kind: 'upsert', call, json: JSON.stringify(call), mode, cause, reply });
  }

  remove(uuid: string, tombstoneSec: number, cause: string, reply?: Reply): void {
    this.push({ kind: 'remove', uuid, tombstoneSec, cause, reply });
  }

  /** The leg's JSON (or null) and whether it has a tombstone: reply value `[raw, gone]`. */
  read(uuid: string, cause: string, reply: Reply): void {
    this.push({ kind: 'read', uuid, cause, reply });
  }

  /** Sends what is queued now and resolves once it (and everything sent before) has been answered. */
  drain(): Promise<void> {
    if (this.queue.length > 0) this.flush();
    const upTo = this.sent;
    if (this.answeredUpTo(upTo)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ upTo, resolve }));
  }

  private push(op: Op): void {
    this.queue.push(op);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.queue.length > 0) this.flush();
    });
  }

  private flush(): void {
    const ops = this.queue;
    this.queue = [];
    if (!this.defined) {
      this.redis.defineCommand(UPSERT, { numberOfKeys: 4, lua: UPSERT_LUA });
      this.redis.defineCommand(REMOVE, { numberOfKeys: 2, lua: REMOVE_LUA });
      this.defined = true;
    }
    const k = this.keys;
    const pipe = this.redis.pipeline() as Scripted;
    for (const op of ops) {
      if (op.kind === 'upsert') {
        const { call } = op;
        pipe[UPSERT](
          k.leg(call.uuid),
          k.gone(call.uuid),
          k.tenant(call.tenantId),
          k.node(call.nodeId),
          op.json,
          String(this.ttlSec),
          call.uuid,
          k.channel(call.tenantId),
          `{"type":"upsert","tenantId":${JSON.stringify(call.tenantId)},"call":${op.json}}`,
          op.mode,
        );
      } else if (op.kind === 'remove') {
        pipe[REMOVE](
          k.leg(op.uuid),
          k.gone(op.uuid),
          op.uuid,
          String(op.tombstoneSec),
          k.setPrefix,
          k.channel(''),
        );
      } else {
        pipe.get(k.leg(op.uuid)).exists(k.gone(op.uuid));
      }
    }
    const seq = ++this.sent;
    this.unsettled.add(seq);
    pipe.exec().then(
      (results) => this.settle(seq, ops, results, null),
      (error: unknown) => this.settle(seq, ops, null, asError(error)),
    );
  }

  private settle(
    seq: number,
    ops: Op[],
    results: Array<[Error | null, unknown]> | null,
    failure: Error | null,
  ): void {
    let i = 0;
    for (const op of ops) {
      const [error, value] = results?.[i++] ?? [failure ?? new Error('no reply from Redis'), null];
      if (op.kind === 'read') {
        const [goneError, gone] = results?.[i++] ?? [error, null];
        this.answer(op, error ?? goneError, [value, gone === 1]);
        continue;
      }
      if (!error && op.kind === 'upsert' && value === -1) this.onRefused(op.call);
      this.answer(op, error, value);
    }
    this.unsettled.delete(seq);
    if (this.waiters.length > 0) {
      const ready = this.waiters.filter((w) => this.answeredUpTo(w.upTo));
      this.waiters = this.waiters.filter((w) => !this.answeredUpTo(w.upTo));
      for (const w of ready) w.resolve();
    }
  }

  /** Whether every pipeline up to number `upTo` has been answered. */
  private answeredUpTo(upTo: number): boolean {
    for (const seq of this.unsettled) if (seq <= upTo) return false;
    return true;
  }

  private answer(op: Op, error: Error | null, value: unknown): void {
    if (op.reply) {
      op.reply(error, value);
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

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
