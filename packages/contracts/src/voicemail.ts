import { z } from 'zod';
import {
  BooleanQuery,
  DestinationSchema,
  DialNumber,
  Name,
  PageQuery,
  Timestamp,
  Uuid,
  pageOf,
} from './common.js';
import { StoredGreetingSchema } from './greetings.js';
import { Email } from './users.js';

export const Pin = z.string().regex(/^\d{4,12}$/, 'expected 4 to 12 digits');

export const VoicemailBoxSchema = z.object({
  id: Uuid,
  tenantId: Uuid,
  number: z.string(),
  name: z.string(),
  /** Each greeting that is stored (PUT /voicemail-boxes/{boxId}/greetings/{kind}); null: the default plays. */
  greetings: z.object({
    unavailable: StoredGreetingSchema.nullable(),
    busy: StoredGreetingSchema.nullable(),
    name: StoredGreetingSchema.nullable(),
  }),
  email: z.string().nullable(),
  attachAudio: z.boolean(),
  deleteAfterEmail: z.boolean(),
  maxMessages: z.number().int(),
  maxMessageSec: z.number().int(),
  /** Where a caller goes after hearing that the box is full; HANGUP (the default): the call ends there. */
  fallback: DestinationSchema,
  /** Wrong PINs entered by phone lock the box for a while; setting a new PIN through the API lifts the lock. */
  pinLock: z.object({
    locked: z.boolean(),
    lockedUntil: Timestamp.nullable(),
    /** Wrong PINs since the last right one (or since the last lock ended). */
    failedAttempts: z.number().int(),
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type VoicemailBox = z.infer<typeof VoicemailBoxSchema>;

const settingsFields = {
  pin: Pin.optional(),
  email: Email.nullable().optional(),
  attachAudio: z.boolean().optional(),
  deleteAfterEmail: z.boolean().optional(),
};

export const CreateVoicemailBoxBody = z.strictObject({
  number: DialNumber,
  name: Name(80),
  pin: Pin,
  email: Email.nullable().optional(),
  attachAudio: z.boolean().optional(),
  deleteAfterEmail: z.boolean().optional(),
  maxMessages: z.number().int().min(1).max(10_000).optional(),
  maxMessageSec: z.number().int().min(10).max(3600).optional(),
  /** Default HANGUP. Not this box itself (a full box would send its callers back to itself). */
  fallback: DestinationSchema.optional(),
});
export type CreateVoicemailBox = z.infer<typeof CreateVoicemailBoxBody>;
export const UpdateVoicemailBoxBody = CreateVoicemailBoxBody.partial();
export type UpdateVoicemailBox = z.infer<typeof UpdateVoicemailBoxBody>;

/** What the mailbox owner (the extension's user) may change. */
export const VoicemailBoxSettingsBody = z.strictObject(settingsFields);

export const ListVoicemailBoxesQuery = PageQuery.extend({ search: z.string().max(80).optional() });
export const VoicemailBoxPage = pageOf(VoicemailBoxSchema);

/**
 * The e-mail of one message: not_required (the box has no address), queued, sending, retrying (a temporary
 * SMTP failure, `error` says which), sent (with the Message-ID the server accepted), failed (the SMTP answer).
 */
export const VoicemailEmailStateSchema = z.enum([
  'not_required',
  'queued',
  'sending',
  'retrying',
  'sent',
  'failed',
]);
export const VoicemailEmailDeliverySchema = z.object({
  state: VoicemailEmailStateSchema,
  attempts: z.number().int(),
  error: z.string().nullable(),
  messageId: z.string().nullable(),
  sentAt: Timestamp.nullable(),
});

export const VoicemailMessageSchema = z.object({
  id: Uuid,
  boxId: Uuid,
  callUuid: z.string(),
  callerIdName: z.string(),
  callerIdNumber: z.string(),
  durationSec: z.number().int(),
  format: z.string(),
  sizeBytes: z.number().int(),
  read: z.boolean(),
  readAt: Timestamp.nullable(),
  email: VoicemailEmailDeliverySchema,
  createdAt: Timestamp,
});
export type VoicemailMessage = z.infer<typeof VoicemailMessageSchema>;

export const ListVoicemailMessagesQuery = PageQuery.extend({ unread: BooleanQuery.optional() });
export const VoicemailMessagePage = pageOf(VoicemailMessageSchema);
export const UpdateVoicemailMessageBody = z.strictObject({ read: z.boolean() });
