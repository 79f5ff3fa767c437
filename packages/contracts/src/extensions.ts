import { z } from 'zod';
import {
  DestinationSchema,
  DialNumber,
  E164,
  EmergencyLocation,
  Name,
  PageQuery,
  Timestamp,
  Uuid,
  pageOf,
} from './common.js';

export const RecordingPolicySchema = z.enum(['INHERIT', 'NEVER', 'ALWAYS']);
export const OutboundPolicySchema = z.enum(['NONE', 'LOCAL', 'NATIONAL', 'INTERNATIONAL']);
export type RecordingPolicy = z.infer<typeof RecordingPolicySchema>;
export type OutboundPolicy = z.infer<typeof OutboundPolicySchema>;

/** What a phone needs to register (the password is only returned at creation and reset). */
export const SipAccountSchema = z.object({
  username: z.string(),
  domain: z.string(),
  registrar: z.string(),
  transport: z.enum(['udp', 'tcp', 'tls']),
});

export const ExtensionSchema = z.object({
  id: Uuid,
  tenantId: Uuid,
  number: z.string(),
  displayName: z.string(),
  callerIdName: z.string().nullable(),
  callerIdNumber: z.string().nullable(),
  /** Emergency calls from this extension: callback number and location identifier (null: the tenant's). */
  emergencyCallerIdNumber: z.string().nullable(),
  emergencyLocation: z.string().nullable(),
  enabled: z.boolean(),
  voicemailEnabled: z.boolean(),
  voicemailBoxId: Uuid.nullable(),
  recordingPolicy: RecordingPolicySchema,
  outboundPolicy: OutboundPolicySchema,
  ringTimeoutSec: z.number().int(),
  dnd: z.boolean(),
  forwardAlways: DestinationSchema.nullable(),
  forwardBusy: DestinationSchema.nullable(),
  forwardNoAnswer: DestinationSchema.nullable(),
  passwordSetAt: Timestamp,
  sip: SipAccountSchema,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Extension = z.infer<typeof ExtensionSchema>;

/** Returned by create and password reset only: the SIP password is never stored nor shown again. */
export const ExtensionWithPasswordSchema = ExtensionSchema.extend({ sipPassword: z.string() });

const settingsFields = {
  dnd: z.boolean().optional(),
  forwardAlways: DestinationSchema.nullable().optional(),
  forwardBusy: DestinationSchema.nullable().optional(),
  forwardNoAnswer: DestinationSchema.nullable().optional(),
};

export const CreateExtensionBody = z.strictObject({
  number: DialNumber,
  displayName: Name(80),
  callerIdName: Name(80).nullable().optional(),
  callerIdNumber: E164.nullable().optional(),
  emergencyCallerIdNumber: E164.nullable().optional(),
  emergencyLocation: EmergencyLocation.nullable().optional(),
  enabled: z.boolean().optional(),
  voicemailEnabled: z.boolean().optional(),
  voicemailBoxId: Uuid.nullable().optional(),
  recordingPolicy: RecordingPolicySchema.optional(),
  outboundPolicy: OutboundPolicySchema.optional(),
  ringTimeoutSec: z.number().int().min(5).max(300).optional(),
  ...settingsFields,
});
export type CreateExtension = z.infer<typeof CreateExtensionBody>;
/** The number is changed on its own (ChangeExtensionNumberBody): it is the SIP user name inside the A1 hash. */
export const UpdateExtensionBody = CreateExtensionBody.omit({ number: true }).partial();
export type UpdateExtension = z.infer<typeof UpdateExtensionBody>;

/** What the extension's own user may change. */
export const ExtensionSettingsBody = z.strictObject(settingsFields);
export type ExtensionSettings = z.infer<typeof ExtensionSettingsBody>;

export const ListExtensionsQuery = PageQuery.extend({
  search: z.string().max(80).optional(),
  number: DialNumber.optional(),
});
export const ExtensionPage = pageOf(ExtensionSchema);
