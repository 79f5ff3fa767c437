import {
  DestinationTypeSchema,
  OutboundPolicySchema,
  RecordingPolicySchema,
  RingStrategySchema,
  TenantStatusSchema,
} from '@pbx/contracts';
import { z } from 'zod';
import { FraudSettingsSchema } from '../fraud/defaults.js';
import { NumberFormatSchema } from './number-format.js';

/**
 * The one definition of the plain data the routing engine works on. The
 * controller builds it as JSON in PostgreSQL (packages/domain/src/explain/load-snapshot.ts)
 * and parses it with `TenantSnapshotSchema`: every object is strict, so a key
 * renamed on one side only fails the parse instead of reaching the engine as
 * `undefined`.
 */

/**
 * A destination as the schema stores it: a (type, value) column pair, not yet
 * checked against what `type` requires (the engine treats a dangling or empty
 * value as unroutable). The API's checked shape is `Destination` in @pbx/contracts.
 */
export const StoredDestinationSchema = z.strictObject({
  type: DestinationTypeSchema,
  value: z.string().nullable(),
});

const Id = z.string();
const Minutes = z.number().int();

export const ExtensionSnapshotSchema = z.strictObject({
  id: Id,
  number: z.string(),
  displayName: z.string(),
  callerIdName: z.string().nullable(),
  callerIdNumber: z.string().nullable(),
  /** Emergency calls: callback number and location identifier (null: the tenant's). Optional in hand-built snapshots. */
  emergencyCallerIdNumber: z.string().nullable().optional(),
  emergencyLocation: z.string().nullable().optional(),
  sipA1Hash: z.string(),
  enabled: z.boolean(),
  voicemailEnabled: z.boolean(),
  /** The box this extension's unanswered calls go to (null = none). */
  voicemailBoxId: Id.nullable(),
  recordingPolicy: RecordingPolicySchema,
  outboundPolicy: OutboundPolicySchema,
  /** Countries this extension may call beyond the tenant's allow-list (the fraud policy's per-extension override). */
  extraCountries: z.array(z.string()).optional(),
  ringTimeoutSec: z.number().int(),
  dnd: z.boolean(),
  forwardAlways: StoredDestinationSchema.nullable(),
  forwardBusy: StoredDestinationSchema.nullable(),
  forwardNoAnswer: StoredDestinationSchema.nullable(),
});

export const VoicemailBoxSnapshotSchema = z.strictObject({ id: Id, number: z.string(), name: z.string() });
export const IvrMenuSnapshotSchema = z.strictObject({
  id: Id,
  name: z.string(),
  number: z.string().nullable(),
});

export const RingGroupSnapshotSchema = z.strictObject({
  id: Id,
  name: z.string(),
  number: z.string().nullable(),
  strategy: RingStrategySchema,
  ringTimeoutSec: z.number().int(),
  fallback: StoredDestinationSchema,
  /** Ordered by position. */
  members: z.array(z.strictObject({ extensionId: Id, timeoutSec: z.number().int().nullable() })),
});

export const InboundNumberSnapshotSchema = z.strictObject({
  e164: z.string(),
  enabled: z.boolean(),
  destination: StoredDestinationSchema,
});

export const TimeConditionSnapshotSchema = z.strictObject({
  id: Id,
  name: z.string(),
  match: StoredDestinationSchema,
  noMatch: StoredDestinationSchema,
  /** Weekly open hours, local time: [startMinute, endMinute) on dayOfWeek (0 = Sunday). */
  ranges: z.array(z.strictObject({ dayOfWeek: z.number().int(), startMinute: Minutes, endMinute: Minutes })),
  /** Local dates (YYYY-MM-DD) on which the condition never matches. */
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)),
});

export const GatewaySnapshotSchema = z.strictObject({
  fsName: z.string(),
  prefix: z.string(),
  enabled: z.boolean(),
  /** How the trunk wants the dialed number and the caller ID (number-format.ts). */
  numberFormat: NumberFormatSchema,
  callerIdFormat: NumberFormatSchema,
  /** The SIP header the trunk reads an emergency call's location from (null: none). Optional in hand-built snapshots. */
  locationHeader: z.string().nullable().optional(),
});

export const TenantSnapshotSchema = z.strictObject({
  tenant: z.strictObject({
    id: Id,
    name: z.string(),
    domain: z.string(),
    timeZone: z.string(),
    /** ISO 3166-1 alpha-2; null: take the default caller ID's (numbers.ts homeOf). */
    country: z.string().nullable(),
    status: TenantStatusSchema,
    maxConcurrentOutbound: z.number().int(),
    allowInternational: z.boolean(),
    allowPremium: z.boolean(),
    // The column shares the extensions' enum; INHERIT never occurs on a tenant but is not refused here.
    recordingPolicy: RecordingPolicySchema,
    defaultCallerIdNumber: z.string().nullable(),
    emergencyCallerIdNumber: z.string().nullable().optional(),
    emergencyLocation: z.string().nullable().optional(),
  }),
  /** The tenant's first trunk (kept for hand-built snapshots; `gateways` wins when present). */
  gateway: GatewaySnapshotSchema.nullable(),
  /** The platform's emergency trunk, for emergency calls when the tenant has no enabled trunk of its own. */
  emergencyGateway: GatewaySnapshotSchema.nullable().optional(),
  /** Every trunk of the tenant, first choice first: outbound calls fail over along it. */
  gateways: z.array(GatewaySnapshotSchema).optional(),
  extensions: z.array(ExtensionSnapshotSchema),
  voicemailBoxes: z.array(VoicemailBoxSnapshotSchema),
  ivrMenus: z.array(IvrMenuSnapshotSchema),
  ringGroups: z.array(RingGroupSnapshotSchema),
  inboundNumbers: z.array(InboundNumberSnapshotSchema),
  timeConditions: z.array(TimeConditionSnapshotSchema),
  /**
   * Numbers a platform admin verified the tenant may present as caller ID (besides its inbound numbers).
   * Optional so hand-built snapshots need not list them; the controller's loader always does.
   */
  verifiedCallerIds: z.array(z.string()).optional(),
  /** The tenant's outbound fraud settings; null or absent: the defaults (DEFAULT_FRAUD_SETTINGS). */
  fraud: FraudSettingsSchema.nullable().optional(),
});

export type StoredDestination = z.infer<typeof StoredDestinationSchema>;
export type ExtensionSnapshot = z.infer<typeof ExtensionSnapshotSchema>;
export type VoicemailBoxSnapshot = z.infer<typeof VoicemailBoxSnapshotSchema>;
export type IvrMenuSnapshot = z.infer<typeof IvrMenuSnapshotSchema>;
export type RingGroupSnapshot = z.infer<typeof RingGroupSnapshotSchema>;
export type InboundNumberSnapshot = z.infer<typeof InboundNumberSnapshotSchema>;
export type TimeConditionSnapshot = z.infer<typeof TimeConditionSnapshotSchema>;
export type GatewaySnapshot = z.infer<typeof GatewaySnapshotSchema>;
export type TenantSnapshot = z.infer<typeof TenantSnapshotSchema>;
