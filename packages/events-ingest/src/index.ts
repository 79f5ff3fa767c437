export * from './contracts.js';
export {
  type EslHeaders,
  type HeaderRecord,
  channelVariable,
  channelVariables,
  eventName,
  eventSubclass,
  eventNode,
  fsUrlDecode,
  header,
} from './event.js';
export { InvalidCdrError, UnknownTenantError } from './errors.js';
export {
  createTenantResolver,
  type TenantLookupKind,
  type TenantRef,
  type TenantResolver,
} from './tenants.js';
export { classifyDirection, isInternalNumber, resolveLegTenant, resolveLegTenantCached } from './classify.js';
export { buildCdrRow, type CdrRow, type LegRecord } from './cdr/build.js';
export { writeCdr, writeCdrs, type CdrWriteResult } from './cdr/store.js';
export { CdrWriter, type CdrBatchInfo, type CdrWriterOptions } from './cdr/writer.js';
export {
  ingestJsonCdr,
  ingestCdrFromEvent,
  legFromJsonCdr,
  legFromHangupEvent,
  type IngestCdrDeps,
} from './cdr/ingest.js';
export {
  RegistrationStore,
  parseShowRegistrations,
  contactUri,
  type RegistrationStoreOptions,
  type RegistrationEventResult,
  type ShowRegistrationRow,
} from './registrations/store.js';
export { LiveCallReader, RegistrationReader } from './readers.js';
export {
  LIVE_CALL_EVENTS,
  LiveCallStore,
  type LiveCallStoreOptions,
  type LiveCallEventResult,
  type LiveCallFeed,
  type LiveCallWriteError,
  type ShowChannelRow,
} from './live-calls/store.js';
export {
  onRecordStart,
  onRecordStop,
  recordingJobId,
  type RecordingDeps,
  type RecordStopResult,
} from './recordings/on-record.js';
export { mwiCommandFor, countMwi, mwiCountsForBox, type MwiCommand, type MwiCounts } from './mwi/mwi.js';
export { GatewayStateReader } from './gateways/gateway-state-reader.js';
export { GatewayStateStore, parseSofiaGatewayList } from './gateways/gateway-states.js';
