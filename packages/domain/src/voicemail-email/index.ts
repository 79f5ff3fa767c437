export {
  claimVoicemailEmail,
  type EmailClaim,
  type ClaimInput,
  type ClaimedMessage,
} from './claim-voicemail-email.js';
export { recordEmailSent, recordEmailFailure } from './record-email-outcome.js';
export { resendVoicemailEmail } from './resend-voicemail-email.js';
export { pendingVoicemailEmails } from './pending-voicemail-emails.js';
