// The live-call state machine: what one channel event does to the legs (in the mirror, then Redis).
import type { LiveCall } from '../contracts.js';
import { header, type EslHeaders } from '../event.js';
import type { TenantRef, TenantResolver } from '../tenants.js';
import { legFromEvent, NEED_TENANT } from './leg.js';
import { GONE, type LegMirror } from './mirror.js';
import { ignored, type Outcome } from './outcome.js';
import type { LiveCallRedisWriter, Reply } from './redis-writer.js';

/** Late events of a hung-up leg (they do arrive after HANGUP) must not bring it back for this long. */
const TOMBSTONE_SEC = 300;

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
export const CHANNEL_EVENTS = new Set<string>(LIVE_CALL_EVENTS);

/** One channel event on its way through the store. */
export type Job = {
  event: EslHeaders;
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
export type Need = { read: string[] } | typeof NEED_TENANT;

export class LiveCallStateMachine {
  constructor(
    private readonly mirror: LegMirror,
    private readonly writer: LiveCallRedisWriter,
    private readonly tenants: TenantResolver,
  ) {}

  /** A leg's new state: in the mirror at once, in Redis with the next batch. */
  save(call: LiveCall, mode: 'create' | 'update', cause: string, reply: Reply | undefined): void {
    this.mirror.set(call);
    this.writer.upsert(call, mode, cause, reply);
  }

  /**
   * The event's effect on the mirror and the writes it queues, or what it needs first. Every
   * path either finishes the job or returns a need, and a need is never asked for twice
   * (`loaded` / `tenant` are set once it is met).
   */
  step(job: Job): Need | undefined {
    switch (job.name) {
      case 'CHANNEL_HANGUP':
      case 'CHANNEL_HANGUP_COMPLETE':
      case 'CHANNEL_DESTROY':
        return this.hangup(job);
      case 'CHANNEL_CREATE':
      case 'CHANNEL_ANSWER':
        return this.createOrAnswer(job);
      default:
        // CHANNEL_BRIDGE / CHANNEL_UNBRIDGE: both legs change.
        return this.bridge(job);
    }
  }

  private hangup({ name, uuid, outcome }: Job): undefined {
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
    outcome.finish(ignored('unknown leg'));
    return undefined;
  }

  private createOrAnswer(job: Job): Need | undefined {
    const { name, uuid, outcome } = job;
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
    const call = legFromEvent(job.event, job.nodeId, uuid, eventTime(job.event), this.tenants, job.tenant);
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

  private bridge(job: Job): Need | undefined {
    const { name, uuid, outcome } = job;
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
    outcome?.finish({ action: next.length > 0 ? 'upserted' : 'ignored', uuids: next.map((c) => c.uuid) });
    return undefined;
  }
}

/** The legs a job touches (a bridge event: both). */
export function legsOf(job: Job): string[] {
  if (job.name !== 'CHANNEL_BRIDGE' && job.name !== 'CHANNEL_UNBRIDGE') return [job.uuid];
  const legs = [job.uuid];
  for (const leg of [header(job.event, 'Bridge-A-Unique-ID'), header(job.event, 'Bridge-B-Unique-ID')])
    if (leg !== undefined && !legs.includes(leg)) legs.push(leg);
  return legs;
}

function eventTime(event: EslHeaders): string {
  const us = Number(header(event, 'Event-Date-Timestamp'));
  return new Date(us > 0 ? Math.floor(us / 1000) : Date.now()).toISOString();
}
