export { refillMedia, type RefillOptions, type RefillOutcome, type RefillResult } from './refill-media.js';
export { refillVoicemailMessage } from './refill-message.js';
export { REFILL_PHASES, type RefillCursor, type RefillPhase, type StoredMedia } from './stored-media.js';
