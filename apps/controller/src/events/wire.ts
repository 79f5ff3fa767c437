import type { Db } from '@pbx/db';
import type { EslClient, RawEslEvent } from '@pbx/esl';
import {
  CdrWriter,
  header,
  ingestCdrFromEvent,
  LIVE_CALL_EVENTS,
  LiveCallStore,
  onRecordStart,
  onRecordStop,
  RegistrationStore,
  type TenantResolver,
} from '@pbx/events-ingest';
import type { JobQueues } from '@pbx/jobs';
import type { Redis } from 'ioredis';
import { mirrorCounter } from '@pbx/metrics';
import type { ControllerMetrics } from '../metrics.js';
import { GATEWAY_SUBCLASSES, GatewayStatus, isGatewayEvent } from './gateway-status.js';
import { KeyedSerial } from './keyed-serial.js';
import { eventKind, toIngestEvent } from './to-ingest-event.js';

/** What the controller subscribes to on every node (the adapter adds BACKGROUND_JOB, CHANNEL_EXECUTE_COMPLETE, HEARTBEAT). */
export const SUBSCRIBED_EVENTS = [
  ...LIVE_CALL_EVENTS,
  'RECORD_START',
  'RECORD_STOP',
  'HEARTBEAT',
  'BACKGROUND_JOB',
] as const;
const REGISTRATION_EVENTS = ['sofia::register', 'sofia::unregister', 'sofia::expire'] as const;
/** Registration events, and the authentication failures the abuse guards count (events/auth-failures.ts). */
export const SUBSCRIBED_SUBCLASSES = [
  ...REGISTRATION_EVENTS,
  'sofia::register_failure',
  ...GATEWAY_SUBCLASSES,
] as const;

const LIVE_CALL = new Set<string>(LIVE_CALL_EVENTS);
const REGISTRATION_SUBCLASSES = new Set<string>(REGISTRATION_EVENTS);
/**
 * The events handle() acts on. The rest (HEARTBEAT, BACKGROUND_JOB, and the CHANNEL_EXECUTE_COMPLETE the adapter
 * subscribes to for its own execute()) are only counted by the adapter, which then never parses their headers.
 */
const HANDLED_EVENTS = new Set<string>([...LIVE_CALL_EVENTS, 'RECORD_START', 'RECORD_STOP', 'CUSTOM']);

/** The adapter's count key (`NAME` or `CUSTOM::subclass`) as the metric's type label (`CUSTOM subclass`). */
export function eventTypeLabel(key: string): string {
  return key.startsWith('CUSTOM::') ? `CUSTOM ${key.slice('CUSTOM::'.length)}` : key;
}

type Log = {
  error: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
  info: (obj: object, msg: string) => void;
};

export type EventWiringDeps = {
  esl: EslClient;
  prisma: Db;
  redis: Redis;
  redisPrefix: string;
  tenants: TenantResolver;
  queues: Pick<JobQueues, 'enqueue'>;
  metrics: ControllerMetrics;
  log: Log;
  /** Batches CDR rows (shared with the mod_json_cdr route); one is made if omitted. */
  cdrWriter?: CdrWriter;
  /** Recording and registration events handled at once (each may hold a connection); more wait in order. */
  maxConcurrent?: number;
};

export type EventWiring = {
  registrations: RegistrationStore;
  liveCalls: LiveCallStore;
  /** The trunks' states per node (sofia::gateway_state, `sofia status gateway`). */
  gateways: GatewayStatus;
  /** Resolves when every event received so far, and any running reconciliation, has been handled (tests, shutdown). */
  idle: () => Promise<void>;
  /** Resolves after the reconciliation that follows the next (or the running) connect of `node`. */
  reconciled: (node: string) => Promise<void>;
  /** FreeSWITCH's switchname of an ESL node (the node id registrations are kept under), once it has connected. */
  nodeIdOf: (node: string) => string | undefined;
  stop: () => void;
};

/**
 * Routes each FreeSWITCH event to the one events-ingest function that owns it,
 * and after every (re)connect to a node re-reads its registrations and channels,
 * since events sent while we were away are lost.
 *
 * Live-call events are applied at once, in arrival order, by the LiveCallStore
 * (in-process mirror; Redis writes batched per turn of the event loop). The
 * database work of one channel (recordings, then its CDR) and of one
 * registration dialog runs in order through a KeyedSerial, different channels
 * concurrently; CDR rows go to the CdrWriter, which batches them into
 * multi-row upserts. Errors are logged and counted: the durable path for CDRs
 * is mod_json_cdr.
 */
export function wireEvents(deps: EventWiringDeps): EventWiring {
  const { esl, prisma, tenants, metrics, log } = deps;
  const fail = (kind: string, error: unknown): void => {
    metrics.eventErrors.inc({ type: kind });
    log.error(
      { type: kind, err: error instanceof Error ? error.message : String(error) },
      'event handling failed',
    );
  };
  const registrations = new RegistrationStore({ redis: deps.redis, prefix: deps.redisPrefix, tenants });
  const liveCalls = new LiveCallStore({
    redis: deps.redis,
    prefix: deps.redisPrefix,
    tenants,
    // A failed write is reported under the event that made it.
    onError: (e) => fail(e.cause, e.error),
  });
  const gateways = new GatewayStatus(esl, deps.redis, deps.redisPrefix);
  const cdrWriter = deps.cdrWriter ?? new CdrWriter({ prisma });
  const serial = new KeyedSerial(deps.maxConcurrent ?? 64);
  const reconciles = new Map<string, Promise<void>>();
  const reconcileWaiters = new Map<string, Array<() => void>>();
  let cdrWriteSeconds: { observe: (value: number) => void } | undefined;

  const guarded = (kind: string, task: () => Promise<unknown>) => async () => {
    try {
      await task();
    } catch (error) {
      fail(kind, error);
    }
  };

  // Time from handing the event's row over to its commit: batching wait included, per row.
  const recordCdr = async (kind: string, event: ReturnType<typeof toIngestEvent>): Promise<void> => {
    try {
      const started = performance.now();
      await ingestCdrFromEvent({ prisma, event, tenants, writer: cdrWriter });
      cdrWriteSeconds ??= metrics.cdrWrite.labels({ source: 'event' });
      cdrWriteSeconds.observe((performance.now() - started) / 1000);
    } catch (error) {
      fail(kind, error);
    }
  };

  // Raw events: ingestion reads the header block itself, so the adapter's typed fields would be wasted work.
  const handle = (node: string, e: RawEslEvent): void => {
    const kind = eventKind(e);
    const event = toIngestEvent(e);
    switch (e.name) {
      case 'CHANNEL_HANGUP_COMPLETE':
        liveCalls.submitChannelEvent(event);
        // No slot: the writer bounds its own statements, and rows waiting for a batch hold no connection.
        serial.run(header(event, 'Unique-ID') ?? '', () => recordCdr(kind, event), { slot: false });
        return;
      case 'RECORD_START':
        serial.run(
          header(event, 'Unique-ID') ?? '',
          guarded(kind, () => onRecordStart({ prisma, event, tenants })),
        );
        return;
      case 'RECORD_STOP':
        serial.run(
          header(event, 'Unique-ID') ?? '',
          guarded(kind, () => onRecordStop({ prisma, queues: deps.queues, event, tenants })),
        );
        return;
      case 'CUSTOM':
        if (e.subclass !== undefined && REGISTRATION_SUBCLASSES.has(e.subclass))
          serial.run(
            `reg:${header(event, 'call-id') ?? ''}`,
            guarded(kind, () => registrations.applyRegistrationEvent(event)),
          );
        else if (isGatewayEvent(e.subclass))
          // One node's gateway events in order (a state must not be overtaken by the re-list an add started).
          serial.run(
            `gw:${node}`,
            guarded(kind, () => gateways.onEvent(node, nodeIds.get(node) ?? node, e.subclass ?? '', event)),
          );
        return;
      default:
        if (LIVE_CALL.has(kind)) liveCalls.submitChannelEvent(event);
    }
  };

  const nodeIds = new Map<string, string>();
  const reconcile = async (name: string): Promise<void> => {
    const node = esl.node(name);
    // bgapi rather than api: the BACKGROUND_JOB carrying the answer also names the node (its switchname).
    const regs = await node.bgapi('show registrations as json');
    const nodeId = header(toIngestEvent(regs.event), 'FreeSWITCH-Switchname') ?? name;
    nodeIds.set(name, nodeId);
    const r = await registrations.reconcile(nodeId, regs.body);
    const chans = await node.bgapi('show channels as json');
    const c = await liveCalls.rebuildFromShowChannels(nodeId, chans.body);
    const g = await gateways.relist(name, nodeId);
    log.info({ node: name, nodeId, registrations: r, channels: c, gateways: g }, 'reconciled after connect');
  };

  const startReconcile = (name: string): void => {
    const run = reconcile(name).then(
      () => metrics.reconnects.inc({ node: name, outcome: 'ok' }),
      (error: unknown) => {
        metrics.reconnects.inc({ node: name, outcome: 'failed' });
        log.error(
          { node: name, err: error instanceof Error ? error.message : String(error) },
          'reconciliation after connect failed',
        );
      },
    );
    reconciles.set(name, run);
    void run.finally(() => {
      if (reconciles.get(name) !== run) return;
      reconciles.delete(name);
      const w = reconcileWaiters.get(name) ?? [];
      reconcileWaiters.delete(name);
      w.forEach((f) => f());
    });
  };

  const offEvent = esl.onRawEvent(handle, (name) => HANDLED_EVENTS.has(name));
  // Events by node and type: the adapter counts every event it receives (handled or not), mirrored at scrape.
  metrics.registry.onCollect(() => {
    mirrorCounter(
      metrics.events,
      Object.entries(esl.stats()).flatMap(([node, stats]) =>
        Object.entries(stats.eventsReceived).map(
          ([key, count]) => [{ node, type: eventTypeLabel(key) }, count] as const,
        ),
      ),
    );
    return Promise.resolve();
  });
  const warned = new Set<string>();
  const offState = esl.onState((name, state) => {
    metrics.connected.set({ node: name }, state === 'ready' ? 1 : 0);
    if (state === 'ready') {
      warned.delete(name);
      log.info({ node: name }, 'FreeSWITCH event socket connected');
      startReconcile(name);
    } else if (state === 'disconnected' && !warned.has(name)) {
      // Once per outage: the adapter keeps retrying with back-off.
      warned.add(name);
      log.warn({ node: name }, 'FreeSWITCH event socket not connected; retrying');
    }
  });
  for (const name of esl.nodeNames()) metrics.connected.set({ node: name }, 0);

  return {
    registrations,
    liveCalls,
    gateways,
    idle: async () => {
      await Promise.allSettled([...reconciles.values()]);
      await serial.idle();
      await liveCalls.idle();
      await cdrWriter.idle();
    },
    nodeIdOf: (name) => nodeIds.get(name),
    reconciled: (name) =>
      new Promise((resolve) => {
        reconcileWaiters.set(name, [...(reconcileWaiters.get(name) ?? []), resolve]);
      }),
    stop: () => {
      offEvent();
      offState();
    },
  };
}
