import type { Db } from '@pbx/db';
import type { ChangeHooks } from './invalidation.js';
import { applyChange } from './invalidation.js';
import type { TenantCache } from './tenant-cache.js';

type Log = { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void };

export type ConfigPoll = {
  /** Looks for changes once now (the timer calls this every pollMs while the bus is down). Returns how many. */
  pollNow(): Promise<number>;
  /** The bus went down (or never came up): poll until it is back. */
  busDown(): void;
  /** The bus is back (it resyncs everything itself): stop polling. */
  busUp(): void;
  readonly polling: boolean;
  stop(): void;
};

/**
 * How far back each poll looks. An audit row carries its transaction's start time but becomes visible only at
 * commit, so a poll must look further back than the longest write transaction (ids already acted on are skipped).
 */
const LOOK_BACK_MS = 120_000;

type Row = { id: string; tenantId: string; domain: string; entityType: string; createdAt: Date };

/**
 * While the Redis bus is down, ConfigChanged messages are lost; this bounds how stale the controller can get:
 * every `pollMs` it reads the audit rows PostgreSQL got since (every configuration write runs through runWrite,
 * which writes one per change, feature codes included) and drops the tenants they name, so a disabled extension
 * stops registering and calling within pollMs plus a lookup.
 */
export function configPoll(o: {
  prisma: Db;
  cache: TenantCache;
  hooks?: ChangeHooks;
  pollMs: number;
  log: Log;
  onPoll?: (changes: number) => void;
}): ConfigPoll {
  const seen = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let since: Date | undefined;
  let running: Promise<number> | undefined;

  const poll = async (): Promise<number> => {
    // The database clock, not ours: audit createdAt is PostgreSQL's now().
    const [{ now } = { now: new Date() }] = await o.prisma.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
    const from = new Date((since ?? now).getTime() - LOOK_BACK_MS);
    const rows = await o.prisma.$queryRaw<Row[]>`
      SELECT a."id", a."tenantId", t."domain", a."entityType", a."createdAt"
      FROM "AuditLog" a JOIN "Tenant" t ON t."id" = a."tenantId"
      WHERE a."createdAt" > ${from} ORDER BY a."createdAt"`;
    since = now;
    let changes = 0;
    let everything = false;
    for (const r of rows) {
      if (seen.has(r.id)) continue;
      seen.set(r.id, r.createdAt.getTime());
      changes++;
      // A tenant write may have renamed its domain: the old name is not in the row, so start over.
      if (r.entityType === 'tenant') everything = true;
      else
        applyChange(
          o.cache,
          { tenantId: r.tenantId, domain: r.domain, entity: r.entityType, at: r.createdAt.toISOString() },
          o.hooks,
        );
    }
    if (everything) {
      o.cache.invalidateAll();
      o.hooks?.resync();
    }
    for (const [id, at] of seen) if (at <= from.getTime()) seen.delete(id);
    o.onPoll?.(changes);
    return changes;
  };

  const pollNow = (): Promise<number> => {
    // One at a time: a slow database must not pile polls up.
    running ??= poll().finally(() => {
      running = undefined;
    });
    return running;
  };

  const self: ConfigPoll = {
    pollNow,
    busDown() {
      if (timer) return;
      o.log.warn({ pollMs: o.pollMs }, 'config bus (Redis) down: polling PostgreSQL for changes');
      timer = setInterval(() => {
        pollNow().catch((error: unknown) =>
          o.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'config poll failed'),
        );
      }, o.pollMs);
      timer.unref();
    },
    busUp() {
      if (!timer) return;
      o.log.info({}, 'config bus (Redis) back: polling stopped');
      clearInterval(timer);
      timer = undefined;
      since = undefined;
      seen.clear();
    },
    get polling() {
      return timer !== undefined;
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  return self;
}
