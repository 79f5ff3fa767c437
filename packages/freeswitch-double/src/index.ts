export { FreeswitchDouble, startFreeswitchDouble } from './freeswitch-double.js';
export type {
  DoubleCall,
  FreeswitchDoubleOptions,
  PlaceCallOptions,
  RegisterPhoneOptions,
} from './freeswitch-double.js';
export type { Faults } from './faults.js';
export type { Timing } from './context.js';
export type { SocketTarget } from './outbound-session.js';
export type { Registration } from './registrations.js';
export type { Channel, CallerProfile } from './channel.js';
export { fsUrlEncode } from './urlencode.js';
export { SipPhones, userOfDocument, type SipRequest, type SipAnswer } from './sip-phones.js';
export { UserCache, cacheExpiry, xmlFlushCache, type CachedUser } from './user-cache.js';
export type { AppStart, AppMatch, ScriptStep } from './caller.js';
export type { Speech } from './applications/types.js';
export type { MediaOptions } from './applications/media.js';
export { SofiaGatewayTable, type LoadedGateway, type SofiaConfigFetcher } from './sofia-gateways.js';
export {
  DialStringError,
  legVariables,
  parseDialString,
  separate,
  type DialLeg,
  type DialString,
} from './applications/dial-string.js';
