import { z } from 'zod';
import { DialNumber } from './common.js';
import { ExtensionSchema } from './extensions.js';

/**
 * Passwords phones are commonly left with, or that dictionary attacks on SIP try first (the scanners' lists
 * start with these). Compared case-insensitively; the extension number and SIP domain are checked by the API,
 * which knows them.
 */
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  'password1234',
  'password12345',
  'passwordpassword',
  'qwertyuiopas',
  'qwerty123456',
  '1q2w3e4r5t6y',
  'letmein12345',
  'welcome12345',
  'changeme1234',
  'administrator',
  'sippassword1',
  'voip12345678',
  'asterisk1234',
  'freeswitch12',
  'abcdefghijkl',
  'abc123456789',
  'iloveyou1234',
  '000000000000',
  '111111111111',
  '123123123123',
  '987654321098',
]);

/** A SIP password an admin chooses (a phone moved from another PBX keeps its own). */
export const SipPassword = z
  .string()
  .min(12, 'must be at least 12 characters long')
  .max(64, 'must be at most 64 characters long')
  .regex(/^[\x21-\x7e]+$/, 'may contain only letters, digits and punctuation, no spaces')
  .refine((p) => !COMMON.has(p.toLowerCase()), 'is a commonly used password: choose another')
  .refine((p) => new Set(p).size >= 5, 'repeats too few characters: choose a less predictable one');

export const SetSipPasswordBody = z.strictObject({ password: SipPassword });
export type SetSipPassword = z.infer<typeof SetSipPasswordBody>;

/**
 * A new number for an existing extension. Its SIP user name is its number, and only the digest hash of the
 * password is stored, so the phone's password can be kept only if it is given (checked against the stored hash);
 * without it a new one is generated and returned once.
 */
export const ChangeExtensionNumberBody = z.strictObject({
  number: DialNumber,
  currentPassword: z.string().min(1).max(64).optional(),
});
export type ChangeExtensionNumber = z.infer<typeof ChangeExtensionNumberBody>;

/** The renumbered extension; `sipPassword` is the new generated password (shown once), null when kept. */
export const ChangedExtensionNumberSchema = ExtensionSchema.extend({ sipPassword: z.string().nullable() });
