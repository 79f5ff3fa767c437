// @pbx/esl: a typed, self-healing adapter over modesl 1.2.1 for FreeSWITCH's event socket.
export { EslClient, type EslClientOptions, type EslNodeConfig } from './adapter/client.js';
export { EslNode } from './adapter/node.js';
export {
  eventCommand,
  type BgapiResult,
  type EslNodeOptions,
  type EslNodeState,
  type EslNodeStats,
} from './adapter/node-options.js';
export {
  EslOutboundServer,
  OutboundCall,
  type CallEnd,
  type DigitsResult,
  type OutboundServerOptions,
  type PlayAndGetDigitsOptions,
} from './adapter/outbound.js';
export type { ExecuteOptions } from './adapter/sendmsg.js';
export type { EventInterest } from './adapter/listeners.js';
export {
  EslCommandError,
  EslDisconnectedError,
  EslError,
  EslHangupError,
  EslNotConnectedError,
  EslTimeoutError,
  type EslErrorCode,
} from './adapter/errors.js';
export {
  EslEventParseError,
  SOFIA_SUBCLASSES,
  SUPPORTED_EVENT_NAMES,
  parseChannelData,
  toTypedEvent,
  type BackgroundJobEvent,
  type ChannelData,
  type ChannelExecuteCompleteEvent,
  type DtmfEvent,
  type EslEvent,
  type EslEventOf,
  type EventHeaderAccess,
  type OtherEslEvent,
  type RawEslEvent,
  type SofiaExpireEvent,
  type SofiaRegisterEvent,
  type SofiaRegisterFailureEvent,
  type SofiaUnregisterEvent,
  type TypedEslEvent,
} from './adapter/events.js';
export { backoffDelay, defaultBackoff, type BackoffOptions } from './adapter/backoff.js';
export { fsUrlDecode } from './wire/urlencode.js';
export { EventHeaders } from './wire/headers.js';
