export {
  voicemailMessageKey,
  voicemailMessageToStore,
  recordVoicemailStored,
  unstoredVoicemailMessages,
  type MessageToStore,
} from './store-voicemail-message.js';
export { removeOrphanVoicemailCopies } from './orphan-copies.js';
