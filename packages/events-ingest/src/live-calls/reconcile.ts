// Rebuilding one node's live legs from its `show channels as json` after a (re)connect.
import { z } from 'zod';
import { classifyDirection, hostOf, isInternalNumber, resolveLegTenant } from '../classify.js';
import type { LiveCall } from '../contracts.js';
import type { TenantResolver } from '../tenants.js';
import type { LiveCallStateMachine } from './channel-events.js';
import type { LegQueue } from './leg-queue.js';
import { GONE, type LegMirror } from './mirror.js';
import type { LiveCallReader } from './reader.js';
import type { LiveCallRedisWriter, Reply } from './redis-writer.js';

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

/** The parts of the store a rebuild works with. */
export type ReconcileParts = {
  tenants: TenantResolver;
  queue: LegQueue;
  mirror: LegMirror;
  writer: LiveCallRedisWriter;
  reader: LiveCallReader;
  machine: LiveCallStateMachine;
  /** What the mirror knows of a leg, read through from Redis when it knows nothing. */
  known(uuid: string, cause: string): Promise<LiveCall | typeof GONE | undefined>;
};

/**
 * Replaces what we hold for one node with its `show channels as json`
 * (text, parsed, or its rows). Two rows sharing a call_uuid while ACTIVE are the two
 * legs of a bridge. A leg that hung up meanwhile (tombstone) is not brought back.
 */
export async function rebuildFromShowChannels(
  parts: ReconcileParts,
  nodeId: string,
  showChannels: unknown,
): Promise<{ upserted: number; removed: number }> {
  const { tenants, queue, mirror, writer, reader, machine } = parts;
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
      tenants,
      {},
      {
        extraDomains: [hostOf(row.presence_id), hostOf(row.name)],
        did: isInternalNumber(callee) ? undefined : callee,
      },
    );
    // In the leg's turn: after the events of it already submitted, before the next ones.
    const outcome = await queue.exclusive([row.uuid], async (): Promise<'skipped' | 'same' | 'saved'> => {
      const existing = await parts.known(row.uuid, 'reconcile');
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
      machine.save(
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
  await writer.drain(); // the node's set below includes what we just wrote
  if (failures[0]) throw failures[0];
  const stale = (await reader.nodeLegs(nodeId)).filter((uuid) => !seen.has(uuid));
  const removed = await Promise.all(
    stale.map((uuid) =>
      queue.exclusive(
        [uuid],
        () =>
          new Promise<boolean>((resolve, reject) => {
            mirror.forget(uuid);
            writer.remove(uuid, 0, 'reconcile', (error, existed) =>
              error ? reject(error) : resolve(existed === 1),
            );
          }),
      ),
    ),
  );
  return { upserted, removed: removed.filter(Boolean).length };
}
