// The dialplan lookup mod_dialplan_xml posts: the whole channel as an event, then the caller profile again.
import { DEFAULT_IDENTITY, eventHeaders, type EventStamp, type Field } from './fields.js';
import { stampOrNow, type Common, type XmlCurlRequest } from './request-common.js';

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
