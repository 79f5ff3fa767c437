// The outbound-socket side of the adapter: the server FreeSWITCH's `socket` app connects to, and the call it controls.
export {
  OutboundCall,
  type CallEnd,
  type DigitsResult,
  type PlayAndGetDigitsOptions,
} from './outbound-call.js';
export { EslOutboundServer, type OutboundServerOptions } from './outbound-server.js';
