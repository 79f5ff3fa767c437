/**
 * What a process that only reads the controllers' Redis state imports (the API): nothing here reaches the event
 * handling, so neither the ESL adapter nor modesl ends up in its bundle.
 */
export { type LiveCallFeed } from './live-calls/change-feed.js';
export { LiveCallReader, liveCallKeys } from './live-calls/reader.js';
export { RegistrationReader } from './registrations/reader.js';
export { GatewayStateReader } from './gateways/gateway-state-reader.js';
