import { z } from 'zod';
import { Text, Timestamp } from './common.js';

/** The greetings a voicemail box may have (the IVR menu has one). */
export const GreetingKindSchema = z.enum(['unavailable', 'busy', 'name']);

/**
 * The order in which the worker's media refill goes through what has stored audio: greetings first (every caller
 * of a menu or box hears them), then voicemail messages. The refill job's payload and the domain both use it.
 */
export const MediaRefillPhase = z.enum(['ivr-menu', 'voicemail-box', 'voicemail-message']);
export type GreetingKind = z.infer<typeof GreetingKindSchema>;

/** A greeting that is stored (null where none is: callers hear the spoken default). */
export const StoredGreetingSchema = z.object({ updatedAt: Timestamp });

/** What storing a greeting produced, in the stored format (16 kHz mono 16-bit PCM WAV). */
export const GreetingResultSchema = z.object({
  updatedAt: Timestamp,
  durationSec: z.number(),
  sizeBytes: z.number().int(),
});
export type GreetingResult = z.infer<typeof GreetingResultSchema>;

export const MAX_GREETING_TEXT = 1000;
/** Typed text spoken into a greeting by the text-to-speech engine. */
export const TextGreetingBody = z.strictObject({
  text: Text(MAX_GREETING_TEXT)
    .min(1, 'must not be empty or only spaces')
    // Letters, digits, spaces and everyday punctuation: what a greeting says, nothing the engine could
    // read as markup or phoneme input.
    .regex(/^[\p{L}\p{N}\p{Zs}.,;:!?'"()&%+@/-]+$/u, 'expected words, digits and everyday punctuation'),
});
export type TextGreeting = z.infer<typeof TextGreetingBody>;
