import { DEFAULT_IDENTITY, eventHeaders, type EventStamp, type Field, type FsIdentity } from './fields.js';

export type XmlCurlRequest = { section: 'directory' | 'dialplan' | 'configuration'; fields: Field[] };

type Common = { identity?: FsIdentity; stamp?: EventStamp };

const stampOrNow = (s: EventStamp | undefined): EventStamp => s ?? { date: new Date(), sequence: 1000 };

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
 * `sofia profile <p> startgw <name|_all_>` fetches sofia.conf with `profile`, `reconfig=true` and `gateway`
 * (sofia.c, config_gateway) and parses only that profile's gateways.
 */
export function sofiaGatewayConfigRequest(o: Common & { profile: string; gateway: string }): XmlCurlRequest {
  const id = o.identity ?? DEFAULT_IDENTITY;
  return {
    section: 'configuration',
    fields: [
      ['hostname', id.hostname],
      ['section', 'configuration'],
      ['tag_name', 'configuration'],
      ['key_name', 'name'],
      ['key_value', 'sofia.conf'],
      ...eventHeaders(id, stampOrNow(o.stamp), { file: 'sofia.c', func: 'config_gateway', line: 0 }), // line: not captured; nobody reads it
      ['profile', o.profile],
      ['reconfig', 'true'],
      ['gateway', o.gateway],
    ],
  };
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
  const id = o.identity ?? DEFAULT_IDENTITY;
  const ip = o.ip ?? '127.0.0.1';
  // Only a REGISTER's Request-URI has no user part (sip_request_user is then left out, capture 003 vs 008).
  const requestUser = o.method !== 'REGISTER';
  return {
    section: 'directory',
    fields: [
      ['hostname', id.hostname],
      ['section', 'directory'],
      ['tag_name', 'domain'],
      ['key_name', 'name'],
      ['key_value', o.domain],
      ...eventHeaders(id, stampOrNow(o.stamp), {
        file: 'sofia_reg.c',
        func: 'sofia_reg_parse_auth',
        line: 3124,
      }),
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
  const id = o.identity ?? DEFAULT_IDENTITY;
  return {
    section: 'directory',
    fields: [
      ['hostname', id.hostname],
      ['section', 'directory'],
      ['tag_name', 'domain'],
      ['key_name', 'name'],
      ['key_value', o.domain],
      ...eventHeaders(id, stampOrNow(o.stamp), {
        file: 'mod_dptools.c',
        func: 'user_outgoing_channel',
        line: 4366,
      }),
      ['as_channel', 'true'],
      ['action', 'user_call'],
      ['key', 'id'],
      ['user', o.user],
      ['domain', o.domain],
    ],
  };
}

export type DialplanCall = Common & {
  uuid: string;
  destination: string;
  /** The Hunt-Context (user_context of an authenticated phone, or the profile's context). */
  context: string;
  /** Authenticated phone (user@domain), or null for an unauthenticated call such as one from a trunk. */
  user: string | null;
  domain: string;
  callerIdName: string;
  callerIdNumber: string;
  /** The directory `<variable>`s of the caller, in document order (they become channel variables). */
  directoryVariables?: Field[];
  profile?: string;
  networkAddr?: string;
  networkPort?: number;
  localAddr?: string;
  localPort?: number;
  callId?: string;
  fromTag?: string;
  viaBranch?: string;
  userAgent?: string;
  sessionId?: number;
  /** The INVITE's auth event (its Event-* headers are copied into variable_Event-*). */
  authStamp?: EventStamp;
  /**
   * Variables the dialplan set on this channel before a `transfer` brought it back for another lookup (posted
   * like every channel variable, as `variable_<name>`; mod_dialplan_xml.c sends the whole channel).
   */
  channelVariables?: Field[];
  mediaPort?: number;
  sdp?: string;
};

const ZERO_TIMES = [
  'Channel-Answered-Time',
  'Channel-Progress-Time',
  'Channel-Progress-Media-Time',
  'Channel-Hangup-Time',
  'Channel-Transfer-Time',
  'Channel-Resurrect-Time',
  'Channel-Bridged-Time',
  'Channel-Last-Hold',
  'Channel-Hold-Accum',
];

/** A dialplan lookup (mod_dialplan_xml.c:610): the channel as an event, then the caller profile again as Hunt-*. */
export function dialplanRequest(c: DialplanCall): XmlCurlRequest {
  const id = c.identity ?? DEFAULT_IDENTITY;
  const stamp = stampOrNow(c.stamp);
  const created = stamp.timestampUs ?? `${stamp.date.getTime()}000`;
  const profile = c.profile ?? 'internal';
  const addr = c.networkAddr ?? '127.0.0.1';
  const port = String(c.networkPort ?? 5070);
  const local = c.localAddr ?? '127.0.0.1';
  const fromUser = c.user ?? c.callerIdNumber;
  const channelName = `sofia/${profile}/${fromUser}@${c.domain}`;
  const fromTag = c.fromTag ?? '20355SIPpUAC1';
  const sdp =
    c.sdp ??
    `v=0\r\no=uac${fromUser} 53655765 2353687638 IN IP4 ${addr}\r\ns=-\r\nc=IN IP4 ${addr}\r\nt=0 0\r\nm=audio ${c.mediaPort ?? 16000} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n`;
  const profileFields = (prefix: string): Field[] => [
    [`${prefix}Direction`, 'inbound'],
    [`${prefix}Logical-Direction`, 'inbound'],
    ...(c.user ? [[`${prefix}Username`, c.user] as const] : []),
    [`${prefix}Dialplan`, 'XML'],
    [`${prefix}Caller-ID-Name`, c.callerIdName],
    [`${prefix}Caller-ID-Number`, c.callerIdNumber],
    [`${prefix}Orig-Caller-ID-Name`, c.callerIdName],
    [`${prefix}Orig-Caller-ID-Number`, c.callerIdNumber],
    [`${prefix}Network-Addr`, addr],
    [`${prefix}ANI`, c.callerIdNumber],
    [`${prefix}Destination-Number`, c.destination],
    [`${prefix}Unique-ID`, c.uuid],
    [`${prefix}Source`, 'mod_sofia'],
    [`${prefix}Context`, c.context],
    [`${prefix}Channel-Name`, channelName],
    [`${prefix}Profile-Index`, '1'],
    [`${prefix}Profile-Created-Time`, created],
    [`${prefix}Channel-Created-Time`, created],
    ...ZERO_TIMES.map((n) => [`${prefix}${n}`, '0'] as const),
    [`${prefix}Screen-Bit`, 'true'],
    [`${prefix}Privacy-Hide-Name`, 'false'],
    [`${prefix}Privacy-Hide-Number`, 'false'],
  ];
  const auth: Field[] = c.user
    ? [
        ['variable_sip_authorized', 'true'],
        ...eventHeaders(
          id,
          c.authStamp ?? { ...stamp, sequence: stamp.sequence - 9 },
          {
            file: 'sofia.c',
            func: 'sofia_handle_sip_i_invite',
            line: 10723,
          },
          'variable_',
        ),
        ['variable_sip_number_alias', c.user],
        ['variable_sip_auth_username', c.user],
        ['variable_sip_auth_realm', c.domain],
        ['variable_number_alias', c.user],
        ['variable_requested_user_name', c.user],
        ['variable_requested_domain_name', c.domain],
        ...(c.directoryVariables ?? []).map(([n, v]) => [`variable_${n}`, v] as const),
        ['variable_user_name', c.user],
        ['variable_domain_name', c.domain],
      ]
    : [];
  return {
    section: 'dialplan',
    fields: [
      ['hostname', id.hostname],
      ['section', 'dialplan'],
      ['tag_name', ''],
      ['key_name', ''],
      ['key_value', ''],
      ...eventHeaders(id, stamp, { file: 'mod_dialplan_xml.c', func: 'dialplan_xml_locate', line: 610 }),
      ['Channel-State', 'CS_ROUTING'],
      ['Channel-Call-State', 'RINGING'],
      ['Channel-State-Number', '2'],
      ['Channel-Name', channelName],
      ['Unique-ID', c.uuid],
      ['Call-Direction', 'inbound'],
      ['Presence-Call-Direction', 'inbound'],
      ['Channel-HIT-Dialplan', 'true'],
      ['Channel-Call-UUID', c.uuid],
      ['Answer-State', 'ringing'],
      ['Channel-Read-Codec-Name', 'PCMU'],
      ['Channel-Read-Codec-Rate', '8000'],
      ['Channel-Read-Codec-Bit-Rate', '64000'],
      ['Channel-Write-Codec-Name', 'PCMU'],
      ['Channel-Write-Codec-Rate', '8000'],
      ['Channel-Write-Codec-Bit-Rate', '64000'],
      ...profileFields('Caller-'),
      ['variable_direction', 'inbound'],
      ['variable_uuid', c.uuid],
      ['variable_session_id', String(c.sessionId ?? 1)],
      ['variable_sip_from_user', fromUser],
      ['variable_sip_from_uri', `${fromUser}@${c.domain}`],
      ['variable_sip_from_host', c.domain],
      ['variable_video_media_flow', 'disabled'],
      ['variable_text_media_flow', 'disabled'],
      ['variable_channel_name', channelName],
      ['variable_sip_call_id', c.callId ?? `1-20355@${addr}`],
      ['variable_sip_local_network_addr', local],
      ['variable_sip_network_ip', addr],
      ['variable_sip_network_port', port],
      // sofia stamps the INVITE when it arrives, which is when the auth event was made.
      [
        'variable_sip_invite_stamp',
        c.authStamp ? (c.authStamp.timestampUs ?? `${c.authStamp.date.getTime()}000`) : created,
      ],
      ['variable_sip_received_ip', addr],
      ['variable_sip_received_port', port],
      ['variable_sip_via_protocol', 'udp'],
      ...auth,
      ...(c.channelVariables ?? []).map(([n, v]) => [`variable_${n}`, v] as const),
      ['variable_sip_from_user_stripped', fromUser],
      ['variable_sip_from_tag', fromTag],
      ['variable_sofia_profile_name', profile],
      ['variable_sofia_profile_url', `sip:mod_sofia@${local}:${c.localPort ?? 5060}`],
      ['variable_recovery_profile_name', profile],
      [
        'variable_sip_full_via',
        `SIP/2.0/UDP ${addr}:${port};branch=${c.viaBranch ?? 'z9hG4bK-20355-1-4'};rport=${port}`,
      ],
      ['variable_sip_from_display', c.callerIdName],
      ['variable_sip_full_from', `"${c.callerIdName}" <sip:${fromUser}@${c.domain}>;tag=${fromTag}`],
      ['variable_sip_full_to', `<sip:${c.destination}@${c.domain}>`],
      ['variable_sip_req_user', c.destination],
      ['variable_sip_req_uri', `${c.destination}@${c.domain}`],
      ['variable_sip_req_host', c.domain],
      ['variable_sip_to_user', c.destination],
      ['variable_sip_to_uri', `${c.destination}@${c.domain}`],
      ['variable_sip_to_host', c.domain],
      ['variable_sip_contact_user', fromUser],
      ['variable_sip_contact_port', port],
      ['variable_sip_contact_uri', `${fromUser}@${addr}:${port}`],
      ['variable_sip_contact_host', addr],
      ['variable_sip_user_agent', c.userAgent ?? 'SIPp-capture'],
      ['variable_sip_via_host', addr],
      ['variable_sip_via_port', port],
      ['variable_sip_via_rport', port],
      ['variable_max_forwards', '70'],
      ['variable_switch_r_sdp', sdp],
      ['variable_ep_codec_string', 'CORE_PCM_MODULE.PCMU@8000h@20i@64000b'],
      ['variable_rtp_use_codec_string', 'PCMU,PCMA'],
      ['variable_remote_video_media_flow', 'inactive'],
      ['variable_remote_text_media_flow', 'inactive'],
      ['variable_remote_audio_media_flow', 'sendrecv'],
      ['variable_audio_media_flow', 'sendrecv'],
      ['variable_remote_media_ip', addr],
      ['variable_remote_media_port', String(c.mediaPort ?? 16000)],
      ['variable_rtp_audio_recv_pt', '0'],
      ['variable_rtp_use_codec_name', 'PCMU'],
      ['variable_rtp_use_codec_rate', '8000'],
      ['variable_rtp_use_codec_ptime', '20'],
      ['variable_rtp_use_codec_channels', '1'],
      ['variable_rtp_last_audio_codec_string', 'PCMU@8000h@20i@1c'],
      ['variable_read_codec', 'PCMU'],
      ['variable_original_read_codec', 'PCMU'],
      ['variable_read_rate', '8000'],
      ['variable_original_read_rate', '8000'],
      ['variable_write_codec', 'PCMU'],
      ['variable_write_rate', '8000'],
      ['variable_dtmf_type', 'rfc2833'],
      ['variable_endpoint_disposition', 'RECEIVED'],
      ['variable_call_uuid', c.uuid],
      ...profileFields('Hunt-'),
    ],
  };
}
