export { fsUrlEncode } from '../urlencode.js';
export {
  encodeBody,
  splitBody,
  eventHeaders,
  fsGmtDate,
  fsLocalDate,
  DEFAULT_IDENTITY,
  type Field,
  type FsIdentity,
  type EventStamp,
} from './fields.js';
export {
  sipAuthRequest,
  userCallRequest,
  gatewaysRequest,
  type SipAuthOptions,
} from './directory-requests.js';
export { dialplanRequest, type DialplanCall } from './dialplan-request.js';
export { sofiaGatewayConfigRequest } from './configuration-request.js';
export type { XmlCurlRequest } from './request-common.js';
export {
  requestBytes,
  sendRaw,
  XmlCurlClient,
  type HttpTarget,
  type XmlCurlResponse,
  type LookupResult,
  type XmlCurlClientOptions,
} from './client.js';
export { parseXml, XmlSyntaxError, type XmlElement } from './xml.js';
export {
  parseFsDocument,
  FsDocumentError,
  type FsDocument,
  type DirectoryDomain,
  type DirectoryUser,
  type DialplanContext,
  type DialplanExtension,
  type DialplanCondition,
  type DialplanAction,
  type NameValue,
} from './documents.js';
export { parseSofiaConfig, type SofiaConfig, type SofiaGateway } from './sofia-config.js';
