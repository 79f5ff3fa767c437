import { z } from 'zod';
import { BooleanQuery, DialNumber, PageQuery, Timestamp, Uuid, pageOf } from './common.js';

export const RecordingStateSchema = z.enum(['RECORDING', 'PROCESSING', 'READY', 'FAILED', 'DELETED']);

export const RecordingSchema = z.object({
  id: Uuid,
  tenantId: Uuid,
  callUuid: z.string(),
  extensionId: Uuid.nullable(),
  format: z.string(),
  durationSec: z.number().int().nullable(),
  sizeBytes: z.number().int().nullable(),
  state: RecordingStateSchema,
  expiresAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Recording = z.infer<typeof RecordingSchema>;

export const ListRecordingsQuery = PageQuery.extend({
  from: Timestamp.optional(),
  to: Timestamp.optional(),
  extensionId: Uuid.optional(),
  callUuid: z.string().max(64).optional(),
  state: RecordingStateSchema.optional(),
});
export const RecordingPage = pageOf(RecordingSchema);

export const CallDirectionSchema = z.enum(['INBOUND', 'OUTBOUND', 'INTERNAL']);

/** One trunk an outbound call tried (docs/call-records.md, "Trunk attempts"). */
export const TrunkAttemptSchema = z.object({
  /** The sofia gateway's name (the trunk's `name`). */
  gateway: z.string(),
  /** FreeSWITCH's cause for this attempt (e.g. GATEWAY_DOWN, NORMAL_TEMPORARY_FAILURE, USER_BUSY, NORMAL_CLEARING). */
  cause: z.string(),
  /** Whether the call was connected through this trunk. */
  connected: z.boolean(),
});
export type TrunkAttempt = z.infer<typeof TrunkAttemptSchema>;

export const CdrSchema = z.object({
  id: Uuid,
  tenantId: Uuid,
  callUuid: z.string(),
  bridgeUuid: z.string().nullable(),
  direction: CallDirectionSchema,
  fromNumber: z.string(),
  fromName: z.string(),
  toNumber: z.string(),
  did: z.string().nullable(),
  extensionNumber: z.string().nullable(),
  startedAt: Timestamp,
  answeredAt: Timestamp.nullable(),
  endedAt: Timestamp,
  durationSec: z.number().int(),
  billsec: z.number().int(),
  hangupCause: z.string(),
  blockedReason: z.string().nullable(),
  /** Outbound calls: every trunk tried, in order (null for other calls, and for calls from before failover). */
  trunkAttempts: z.array(TrunkAttemptSchema).nullable(),
  recordingId: Uuid.nullable(),
});
export type Cdr = z.infer<typeof CdrSchema>;

/**
 * `from` inclusive, `to` exclusive, on startedAt. `number`: digits (and a leading +) found in the caller's, the
 * called or the DID number. `answered`: true = answered calls, false = missed (never answered).
 */
export const CdrFilterQuery = z.object({
  from: Timestamp.optional(),
  to: Timestamp.optional(),
  extension: DialNumber.optional(),
  direction: CallDirectionSchema.optional(),
  number: z
    .string()
    .regex(/^\+?\d{1,16}$/, 'expected digits of a phone number, optionally starting with +')
    .optional(),
  answered: BooleanQuery.optional(),
});
export const ListCdrsQuery = PageQuery.extend(CdrFilterQuery.shape);
export const CdrPage = pageOf(CdrSchema);

export const AuditEntrySchema = z.object({
  id: Uuid,
  tenantId: Uuid.nullable(),
  actorUserId: Uuid.nullable(),
  actorApiKeyId: Uuid.nullable(),
  /** A phone acting for its own extension (a feature code), when neither a user nor a key acted. */
  actorExtensionId: Uuid.nullable(),
  /** Who acted, when it was not a user or a key, as recorded: e.g. "extension 1001 via feature code". */
  actorLabel: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  /** Secrets (password, PIN, key and SIP hashes) are never recorded. */
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
  createdAt: Timestamp,
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const ListAuditQuery = PageQuery.extend({
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  from: Timestamp.optional(),
  to: Timestamp.optional(),
});
export const AuditPage = pageOf(AuditEntrySchema);
