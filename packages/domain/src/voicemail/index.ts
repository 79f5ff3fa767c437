export { createVoicemailBox } from './create-voicemail-box.js';
export { updateVoicemailBox, VOICEMAIL_OWNER_FIELDS } from './update-voicemail-box.js';
export { deleteVoicemailBox } from './delete-voicemail-box.js';
export { getVoicemailBox } from './get-voicemail-box.js';
export { listVoicemailBoxes } from './list-voicemail-boxes.js';
export { listVoicemailMessages } from './list-voicemail-messages.js';
export { getVoicemailMessage } from './get-voicemail-message.js';
export { markVoicemailMessage } from './mark-voicemail-message.js';
export { deleteVoicemailMessage } from './delete-voicemail-message.js';
