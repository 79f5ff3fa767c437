export { assertCallerIdAllowed } from './assert-caller-id.js';
export {
  createVerifiedCallerId,
  deleteVerifiedCallerId,
  listVerifiedCallerIds,
} from './verified-caller-ids.js';
