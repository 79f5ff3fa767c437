import { z } from 'zod';

// Shapes shared by every resource. Request bodies are strict (unknown fields
// are rejected) and carry no defaults, so a PATCH body holds exactly the
// fields the client sent and what is written is what is read back.

export const Uuid = z.uuid();
export const Timestamp = z.iso.datetime({ offset: true });
export const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number such as +493012345678');
/**
 * An emergency location identifier as the carrier knows the site (an address ID, a civic-address key, a short
 * address): it goes into a SIP header and a FreeSWITCH channel variable, so only characters that are safe in both
 * (no `$`, braces, quotes, CR/LF).
 */
export const EmergencyLocation = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w .,;:=@/#+()'-]+$/, "expected letters, digits, spaces and . , ; : = @ / # + ( ) ' - only");
/** Internal dial-plan number (extensions, mailboxes, menus, groups). */
export const DialNumber = z.string().regex(/^\d{2,8}$/, 'expected 2 to 8 digits');
/**
 * Control, format (zero-width, bidi overrides and isolates), lone surrogate and
 * line/paragraph separator characters: invisible in a list, they make one name
 * look like another ("Rtl\u202eTXT.exe" shows as "RtlEXT.TXT").
 */
const VISIBLE_TEXT = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]*$/u;
/** Free text people read (may be empty): normalized to NFC and trimmed before its length is checked. */
export const Text = (max: number) =>
  z
    .string()
    .normalize('NFC')
    .trim()
    .max(max)
    .regex(VISIBLE_TEXT, 'must not contain control, zero-width or bidi-override characters');
/** A name (also a caller-ID name): like Text, and not empty once trimmed. */
export const Name = (max: number) => Text(max).min(1, 'must not be empty or only spaces');
export const DestinationTypeSchema = z.enum([
  'EXTENSION',
  'VOICEMAIL',
  'IVR_MENU',
  'RING_GROUP',
  'TIME_CONDITION',
  'EXTERNAL',
  'HANGUP',
]);
export type DestinationType = z.infer<typeof DestinationTypeSchema>;

/**
 * Where a call goes. `value` is the target's id for internal targets (the
 * voicemail box id for VOICEMAIL), an E.164 number for EXTERNAL, absent for HANGUP.
 */
export const DestinationSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('EXTENSION'), value: Uuid }),
  z.strictObject({ type: z.literal('VOICEMAIL'), value: Uuid }),
  z.strictObject({ type: z.literal('IVR_MENU'), value: Uuid }),
  z.strictObject({ type: z.literal('RING_GROUP'), value: Uuid }),
  z.strictObject({ type: z.literal('TIME_CONDITION'), value: Uuid }),
  z.strictObject({ type: z.literal('EXTERNAL'), value: E164 }),
  z.strictObject({ type: z.literal('HANGUP') }),
]);
export type Destination = z.infer<typeof DestinationSchema>;

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });

export const BooleanQuery = z.enum(['true', 'false']);

/** RFC 9457 problem details, as every error is returned (`application/problem+json`). */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.string(),
  field: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

/** Deleting something still routed to: re-point those routes here instead of failing with REFERENCED. */
export const RerouteQuery = z.object({
  reroute_type: DestinationTypeSchema.optional(),
  reroute_value: z.string().max(64).optional(),
});
