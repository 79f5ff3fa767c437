export { voicemailPhoneActor, type MailboxAccess } from './mailbox-access.js';
export {
  PIN_LOCK_MS,
  PIN_MAX_FAILURES,
  pinLockState,
  verifyVoicemailPin,
  type PinCheck,
} from './verify-pin.js';
export {
  depositVoicemailMessage,
  voicemailBoxForDeposit,
  voicemailEmailJobId,
  type DepositBox,
  type DepositInput,
  type DepositResult,
  type EnqueueVoicemailEmail,
} from './deposit-message.js';
export {
  changePinByPhone,
  deleteMessageByPhone,
  listMailboxForPhone,
  markHeardByPhone,
  setGreetingByPhone,
  type PhoneMailbox,
} from './phone-messages.js';
