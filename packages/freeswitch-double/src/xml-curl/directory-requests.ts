// The directory lookups sofia and mod_dptools post (gateways, sip_auth, user_call); the dialplan's is in dialplan-request.ts.
import { DEFAULT_IDENTITY, eventHeaders, type Field } from './fields.js';
import { stampOrNow, type Common, type XmlCurlRequest } from './request-common.js';

/** `purpose=gateways`: sent by sofia for each profile at start-up (sofia.c:3073). */
export function gatewaysRequest(o: Common & { profile: string }): XmlCurlRequest {
  const id = o.identity ?? DEFAULT_IDENTITY;
  return {
    section: 'directory',
    fields: [
      ['hostname', id.hostname],
      ['section', 'directory'],
      ['tag_name', ''],
      ['key_name', ''],
      ['key_value', ''],
      ...eventHeaders(id, stampOrNow(o.stamp), {
        file: 'sofia.c',
        func: 'launch_sofia_worker_thread',
        line: 3073,
      }),
      ['purpose', 'gateways'],
      ['profile', o.profile],
    ],
  };
}

/**
 * What every lookup of a user in a domain starts with (switch_xml_locate_domain: tag `domain`, key `name`), then
 * the event headers stamped where FreeSWITCH made the request.
 */
function domainLookupHead(
  o: Common & { domain: string },
  origin: { file: string; func: string; line: number },
): Field[] {
  const id = o.identity ?? DEFAULT_IDENTITY;
  return [
    ['hostname', id.hostname],
    ['section', 'directory'],
    ['tag_name', 'domain'],
    ['key_name', 'name'],
    ['key_value', o.domain],
    ...eventHeaders(id, stampOrNow(o.stamp), origin),
  ];
}

export type SipAuthOptions = Common & {
  /** sofia authenticates REGISTER, and INVITE/SUBSCRIBE when the profile asks (auth-calls, auth-subscriptions). */
  method: 'REGISTER' | 'INVITE' | 'SUBSCRIBE';
  user: string;
  /** The digest realm: the domain FreeSWITCH looks the user up in (key_value, sip_auth_realm, domain). */
  domain: string;
  /**
   * The request's own headers, which a phone may set to another domain than its realm (docs/freeswitch-facts.md §3): To host
   * (where a REGISTER is filed), From host and user, Request-URI host. Each defaults to `domain` / `user`.
   */
  toHost?: string;
  fromHost?: string;
  fromUser?: string;
  requestHost?: string;
  profile?: string;
  userAgent?: string;
  nonce?: string;
  /** Digest uri; SIPp puts `sip:<server ip:port>` there, a real phone its Request-URI. */
  uri?: string;
  contactHost?: string;
  /** The To user: INVITE's dialed user, SUBSCRIBE's watched one, REGISTER's AOR (default `user`). */
  toUser?: string;
  callId?: string;
  cnonce?: string;
  nc?: string;
  response?: string;
  clientPort?: number;
  ip?: string;
};

/** A sip_auth lookup for an authenticated REGISTER or INVITE (sofia_reg.c:3123-3209, switch_xml.c:2225-2237). */
export function sipAuthRequest(o: SipAuthOptions): XmlCurlRequest {
  const ip = o.ip ?? '127.0.0.1';
  // Only a REGISTER's Request-URI has no user part (sip_request_user is then left out, capture 003 vs 008).
  const requestUser = o.method !== 'REGISTER';
  return {
    section: 'directory',
    fields: [
      ...domainLookupHead(o, { file: 'sofia_reg.c', func: 'sofia_reg_parse_auth', line: 3124 }),
      ['action', 'sip_auth'],
      ['sip_profile', o.profile ?? 'internal'],
      ['sip_user_agent', o.userAgent ?? 'SIPp-capture'],
      ['sip_auth_username', o.user],
      ['sip_auth_realm', o.domain],
      ['sip_auth_nonce', o.nonce ?? '944eab5c-f098-47ca-8a03-a66fa6078dff'],
      ['sip_auth_uri', o.uri ?? 'sip:127.0.0.1:5060'],
      ['sip_contact_user', o.user],
      ['sip_contact_host', o.contactHost ?? ip],
      ['sip_to_user', o.toUser ?? o.user],
      ['sip_to_host', o.toHost ?? o.domain],
      ['sip_via_protocol', 'udp'],
      ['sip_from_user', o.fromUser ?? o.user],
      ['sip_from_host', o.fromHost ?? o.domain],
      ['sip_call_id', o.callId ?? `reg-${o.user}@capture.invalid`],
      ...(requestUser ? [['sip_request_user', o.toUser ?? o.user] as const] : []),
      ['sip_request_host', o.requestHost ?? o.toHost ?? o.domain],
      ['sip_auth_qop', 'auth'],
      ['sip_auth_cnonce', o.cnonce ?? '6b8b4567'],
      ['sip_auth_nc', o.nc ?? '00000001'],
      ['sip_auth_response', o.response ?? '00000000000000000000000000000000'],
      ['sip_auth_method', o.method],
      ['client_port', String(o.clientPort ?? 5070)],
      ['key', 'id'],
      ['user', o.user],
      ['domain', o.domain],
      ['ip', ip],
    ],
  };
}

/** The lookup `bridge user/<user>@<domain>` makes (mod_dptools.c:4366); no `ip`. */
export function userCallRequest(o: Common & { user: string; domain: string }): XmlCurlRequest {
  return {
    section: 'directory',
    fields: [
      ...domainLookupHead(o, { file: 'mod_dptools.c', func: 'user_outgoing_channel', line: 4366 }),
      ['as_channel', 'true'],
      ['action', 'user_call'],
      ['key', 'id'],
      ['user', o.user],
      ['domain', o.domain],
    ],
  };
}
