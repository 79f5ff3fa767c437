import type { Notification } from '@pbx/contracts';
import { randomUUID } from 'node:crypto';
import type { AuditLog } from '@pbx/db';
import type { PlatformContext, TenantContext, Tx } from '../context.js';
import { maskSecrets } from './mask-secrets.js';
import { mapPrismaError } from './prisma-errors.js';

export type WriteRecord = {
  /** e.g. "extension.create" */
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
  /** Defaults to the context's tenant. */
  tenantId?: string | null;
  /** The audit row's tenant when it differs (a deleted tenant can no longer own rows). */
  auditTenantId?: string | null;
  /** When set (or defaulted from a TenantContext), a ConfigChanged is published after commit. */
  domain?: string;
  previousDomain?: string;
  /** Set false for writes FreeSWITCH does not care about (users, API keys). */
  notify?: boolean;
  /** The voicemail box whose message counts this write changed: a VoicemailChanged is published after commit. */
  voicemailBoxId?: string;
  /** A carrier trunk this write changed: a GatewaysChanged is published after commit (FreeSWITCH reloads it). */
  gateway?: { name: string; previousName?: string; removed?: boolean };
  /** Further tenants whose routing this write changed (those using a trunk): a ConfigChanged each, no audit row. */
  affectedTenants?: readonly { id: string; domain: string }[];
};

export type Recorder = (record: WriteRecord) => Promise<void>;

type AuditRow = Omit<AuditLog, 'id' | 'createdAt' | 'before' | 'after'> & { before: unknown; after: unknown };

/**
 * The audit row, secrets masked, as one plain INSERT: every write pays for it, and Prisma's create costs about
 * twice the CPU of the same statement sent raw (its query plan and result mapping; measured in session 10). The id
 * and time are made here, as Prisma's `@default(uuid())` and `now()` would (one transaction's rows keep their order
 * by time). Tests read the rows back through Prisma (apps/api/test/secrets.test.ts: masking; apps/controller/test/feature-codes.test.ts: the actor).
 */
async function insertAudit(tx: Tx, row: AuditRow): Promise<void> {
  const json = (value: unknown) => {
    const masked = maskSecrets(value);
    return masked === null ? null : JSON.stringify(masked);
  };
  await tx.$executeRaw`
    INSERT INTO "AuditLog" ("id", "tenantId", "actorUserId", "actorApiKeyId", "actorExtensionId", "actorLabel",
      "action", "entityType", "entityId", "before", "after", "ip", "createdAt")
    VALUES (${randomUUID()}::uuid, ${row.tenantId}::uuid, ${row.actorUserId}::uuid, ${row.actorApiKeyId}::uuid,
      ${row.actorExtensionId}::uuid, ${row.actorLabel}, ${row.action}, ${row.entityType}, ${row.entityId},
      ${json(row.before)}::jsonb, ${json(row.after)}::jsonb, ${row.ip}, ${new Date()}::timestamptz)`;
}

/**
 * The one way the domain writes: `work` runs in a transaction, every
 * `record()` adds an audit row (secrets masked) in that same transaction, and
 * once it has committed the platform is told what changed through `ctx.notify`: a ConfigChanged per record of a
 * tenant's configuration, a VoicemailChanged per record that changed a box's messages.
 */
export async function runWrite<T>(
  ctx: PlatformContext | TenantContext,
  work: (tx: Tx, record: Recorder) => Promise<T>,
): Promise<T> {
  const changes: Notification[] = [];
  const tenantOf = (r: WriteRecord) =>
    r.tenantId !== undefined ? r.tenantId : 'tenantId' in ctx ? ctx.tenantId : null;
  let result: T;
  try {
    result = await ctx.db.$transaction(async (tx) => {
      const record: Recorder = async (r) => {
        const tenantId = tenantOf(r);
        await insertAudit(tx, {
          tenantId: r.auditTenantId !== undefined ? r.auditTenantId : tenantId,
          actorUserId: ctx.actor.userId,
          actorApiKeyId: ctx.actor.apiKeyId,
          actorExtensionId: ctx.actor.device ? ctx.actor.extensionId : null,
          actorLabel: ctx.actor.device
            ? `extension ${ctx.actor.device.extensionNumber} via ${ctx.actor.device.via}`
            : null,
          action: r.action,
          entityType: r.entityType,
          entityId: r.entityId,
          before: r.before,
          after: r.after,
          ip: ctx.actor.ip,
        });
        const domain = r.domain ?? ('domain' in ctx ? ctx.domain : undefined);
        if (r.notify !== false && tenantId && domain) {
          changes.push({
            kind: 'config',
            change: {
              tenantId,
              domain,
              ...(r.previousDomain ? { previousDomain: r.previousDomain } : {}),
              entity: r.entityType,
              ...(r.entityId ? { entityId: r.entityId } : {}),
              at: new Date().toISOString(),
            },
          });
        }
        for (const t of r.affectedTenants ?? [])
          changes.push({
            kind: 'config',
            change: {
              tenantId: t.id,
              domain: t.domain,
              entity: r.entityType,
              ...(r.entityId ? { entityId: r.entityId } : {}),
              at: new Date().toISOString(),
            },
          });
        if (r.gateway)
          changes.push({
            kind: 'gateways',
            change: {
              gateway: r.gateway.name,
              ...(r.gateway.previousName ? { previousGateway: r.gateway.previousName } : {}),
              removed: r.gateway.removed ?? false,
              at: new Date().toISOString(),
            },
          });
        if (r.voicemailBoxId && tenantId)
          changes.push({ kind: 'voicemail', change: { tenantId, boxId: r.voicemailBoxId } });
      };
      return work(tx, record);
    });
  } catch (error) {
    throw mapPrismaError(error);
  }
  for (const change of changes) await ctx.notify(change);
  return result;
}
