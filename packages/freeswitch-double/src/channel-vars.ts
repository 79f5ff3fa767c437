// The channel variables FreeSWITCH sets on a sofia call as it goes (INVITE, answer, ACK, hang-up), in the
// order the captures show them: setting a variable moves it to the end of the channel's list.
import type { Channel } from './channel.js';
import { localStamp } from './fs-event.js';

export interface SofiaCallInit {
  callerNumber: string;
  callerName: string;
  destination: string;
  domain: string;
  context: string;
  profile: string;
  networkIp: string;
  networkPort: number;
  userAgent: string;
  accountcode: string | undefined;
  effectiveCallerIdName: string;
  sessionId: number;
  identity: { coreUuid: string; hostname: string; ipv4: string; ipv6: string };
  eventSequence: number;
}

/** Variables of an authenticated sofia INVITE as FreeSWITCH sets them before routing (capture esl-outbound-conn2). */
export function applySofiaInviteVars(ch: Channel, c: SofiaCallInit): void {
  const v = ch.vars;
  const created = ch.times.created;
  const d = new Date(Math.floor(created / 1000));
  const tag = `${c.sessionId}${c.callerNumber}UAC1`;
  const callId = `${c.sessionId}-${c.callerNumber}@${c.networkIp}`;
  const list: Array<[string, string | undefined]> = [
    ['direction', 'inbound'],
    ['uuid', ch.uuid],
    ['session_id', String(c.sessionId)],
    ['sip_from_user', c.callerNumber],
    ['sip_from_uri', `${c.callerNumber}@${c.domain}`],
    ['sip_from_host', c.domain],
    ['video_media_flow', 'disabled'],
    ['text_media_flow', 'disabled'],
    ['channel_name', ch.profile.channelName],
    ['sip_call_id', callId],
    ['sip_local_network_addr', '127.0.0.1'],
    ['sip_network_ip', c.networkIp],
    ['sip_network_port', String(c.networkPort)],
    ['sip_invite_stamp', String(created)],
    ['sip_received_ip', c.networkIp],
    ['sip_received_port', String(c.networkPort)],
    ['sip_via_protocol', 'udp'],
    ['sip_authorized', 'true'],
    ['Event-Name', 'REQUEST_PARAMS'],
    ['Core-UUID', c.identity.coreUuid],
    ['FreeSWITCH-Hostname', c.identity.hostname],
    ['FreeSWITCH-Switchname', c.identity.hostname],
    ['FreeSWITCH-IPv4', c.identity.ipv4],
    ['FreeSWITCH-IPv6', c.identity.ipv6],
    ['Event-Date-Local', localStamp(d)],
    ['Event-Date-GMT', d.toUTCString()],
    ['Event-Date-Timestamp', String(created)],
    ['Event-Calling-File', 'sofia.c'],
    ['Event-Calling-Function', 'sofia_handle_sip_i_invite'],
    ['Event-Calling-Line-Number', '10723'],
    ['Event-Sequence', String(c.eventSequence)],
    ['sip_number_alias', c.callerNumber],
    ['sip_auth_username', c.callerNumber],
    ['sip_auth_realm', c.domain],
    ['number_alias', c.callerNumber],
    ['requested_user_name', c.callerNumber],
    ['requested_domain_name', c.domain],
    ['user_context', c.context],
    ['effective_caller_id_name', c.effectiveCallerIdName],
    ['effective_caller_id_number', c.callerNumber],
    ['accountcode', c.accountcode],
    ['user_name', c.callerNumber],
    ['domain_name', c.domain],
    ['sip_from_user_stripped', c.callerNumber],
    ['sip_from_tag', tag],
    ['sofia_profile_name', c.profile],
    ['sofia_profile_url', `sip:mod_sofia@127.0.0.1:5060`],
    ['recovery_profile_name', c.profile],
    [
      'sip_full_via',
      `SIP/2.0/UDP ${c.networkIp}:${c.networkPort};branch=z9hG4bK-${c.sessionId}-1-4;rport=${c.networkPort}`,
    ],
    ['sip_from_display', c.callerName],
    ['sip_full_from', `"${c.callerName}" <sip:${c.callerNumber}@${c.domain}>;tag=${tag}`],
    ['sip_full_to', `<sip:${c.destination}@${c.domain}>`],
    ['sip_req_user', c.destination],
    ['sip_req_uri', `${c.destination}@${c.domain}`],
    ['sip_req_host', c.domain],
    ['sip_to_user', c.destination],
    ['sip_to_uri', `${c.destination}@${c.domain}`],
    ['sip_to_host', c.domain],
    ['sip_contact_user', c.callerNumber],
    ['sip_contact_port', String(c.networkPort)],
    ['sip_contact_uri', `${c.callerNumber}@${c.networkIp}:${c.networkPort}`],
    ['sip_contact_host', c.networkIp],
    ['sip_user_agent', c.userAgent],
    ['sip_via_host', c.networkIp],
    ['sip_via_port', String(c.networkPort)],
    ['sip_via_rport', String(c.networkPort)],
    ['max_forwards', '70'],
    ['switch_r_sdp', sdp(`uac${c.callerNumber}`, c.networkIp, 16000)],
    ['ep_codec_string', 'CORE_PCM_MODULE.PCMU@8000h@20i@64000b'],
    ['rtp_use_codec_string', 'PCMU,PCMA'],
    ['remote_video_media_flow', 'inactive'],
    ['remote_text_media_flow', 'inactive'],
    ['remote_audio_media_flow', 'sendrecv'],
    ['audio_media_flow', 'sendrecv'],
    ['remote_media_ip', c.networkIp],
    ['remote_media_port', '16000'],
    ['rtp_audio_recv_pt', '0'],
    ['rtp_use_codec_name', 'PCMU'],
    ['rtp_use_codec_rate', '8000'],
    ['rtp_use_codec_ptime', '20'],
    ['rtp_use_codec_channels', '1'],
    ['rtp_last_audio_codec_string', 'PCMU@8000h@20i@1c'],
    ['read_codec', 'PCMU'],
    ['original_read_codec', 'PCMU'],
    ['read_rate', '8000'],
    ['original_read_rate', '8000'],
    ['write_codec', 'PCMU'],
    ['write_rate', '8000'],
    ['dtmf_type', 'rfc2833'],
    ['endpoint_disposition', 'RECEIVED'],
  ];
  for (const [n, val] of list) v.set(n, val);
}

function sdp(origin: string, ip: string, port: number): string {
  return `v=0\r\no=${origin} 53655765 2353687638 IN IP4 ${ip}\r\ns=-\r\nc=IN IP4 ${ip}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n`;
}

/** What answering sets (media negotiation); the SIP dialog variables follow with the ACK (ackVars). */
export function applyAnswerVars(ch: Channel, localPort: number): void {
  const v = ch.vars;
  const remoteIp = v.get('remote_media_ip') ?? '127.0.0.1';
  const remotePort = v.get('remote_media_port') ?? '16000';
  v.set(
    'rtp_local_sdp_str',
    `${sdp('FreeSWITCH', '127.0.0.1', localPort).replace('53655765 2353687638', '1795365196 1795365197').replace('s=-', 's=FreeSWITCH')}a=ptime:20\r\na=sendrecv\r\n`,
  );
  v.set('local_media_ip', '127.0.0.1');
  v.set('local_media_port', String(localPort));
  v.set('advertised_media_ip', '127.0.0.1');
  v.set('rtp_use_pt', '0');
  v.set('rtp_use_ssrc', String(1_000_000_000 + Math.floor(Math.random() * 1_000_000_000)));
  v.set('rtp_2833_send_payload', '101');
  v.set('rtp_2833_recv_payload', '101');
  v.set('remote_media_ip', remoteIp);
  v.set('remote_media_port', remotePort);
  v.set('endpoint_disposition', 'ANSWER');
}

/** Dialog variables sofia re-sets once the 200 OK is acknowledged. */
export function applyAckVars(ch: Channel): void {
  const v = ch.vars;
  const toTag = `S${ch.uuid.replace(/-/g, '').slice(0, 12)}`;
  const names = ['sip_from_tag', 'sip_call_id', 'sip_full_via', 'sip_from_display', 'sip_full_from'];
  const saved = Object.fromEntries(names.map((n) => [n, v.get(n)]));
  v.set('sip_to_tag', toTag);
  v.set('sip_from_tag', saved['sip_from_tag']);
  v.set('sip_cseq', '2');
  v.set('sip_call_id', saved['sip_call_id']);
  v.set('sip_full_via', saved['sip_full_via']);
  v.set('sip_from_display', saved['sip_from_display']);
  v.set('sip_full_from', saved['sip_full_from']);
  v.set('sip_full_to', `<sip:${ch.profile.destinationNumber}@${v.get('domain_name') ?? ''}>;tag=${toTag}`);
}

/** Variables FreeSWITCH adds when the channel reaches CS_REPORTING (switch_channel.c:4488-4825). */
export function applyHangupVars(
  ch: Channel,
  lastApp: { app: string; arg: string } | undefined,
  digitsDialed: string,
  disposition: 'send_bye' | 'recv_bye' = 'send_bye',
): void {
  const v = ch.vars;
  const t = ch.times;
  const sec = (us: number) => Math.floor(us / 1_000_000);
  const stamp = (us: number) => (us ? localStamp(new Date(Math.floor(us / 1000))) : undefined);
  const end = t.hangup;
  const cause = ch.hangupCause ?? 'NORMAL_CLEARING';
  const answered = t.answered;
  const durationSec = sec(end) - sec(t.created);
  const billSec = answered ? sec(end) - sec(answered) : 0;
  const billUs = answered ? end - answered : 0;
  const durUs = end - t.created;
  v.set('hangup_cause', cause);
  v.set('hangup_cause_q850', String(Q850[cause] ?? 16));
  v.set('digits_dialed', digitsDialed || 'none');
  v.set('start_stamp', stamp(t.created));
  v.set('profile_start_stamp', stamp(t.created));
  v.set('answer_stamp', stamp(answered));
  v.set('bridge_stamp', stamp(t.bridged));
  v.set('progress_stamp', stamp(t.progress));
  v.set('end_stamp', stamp(end));
  v.set('start_epoch', String(sec(t.created)));
  v.set('start_uepoch', String(t.created));
  v.set('profile_start_epoch', String(sec(t.created)));
  v.set('profile_start_uepoch', String(t.created));
  v.set('answer_epoch', String(sec(answered)));
  v.set('answer_uepoch', String(answered));
  v.set('bridge_epoch', String(sec(t.bridged)));
  v.set('bridge_uepoch', String(t.bridged));
  for (const n of [
    'last_hold_epoch',
    'last_hold_uepoch',
    'hold_accum_seconds',
    'hold_accum_usec',
    'hold_accum_ms',
    'resurrect_epoch',
    'resurrect_uepoch',
  ])
    v.set(n, '0');
  v.set('progress_epoch', String(sec(t.progress)));
  v.set('progress_uepoch', String(t.progress));
  v.set('progress_media_epoch', String(sec(t.progressMedia)));
  v.set('progress_media_uepoch', String(t.progressMedia));
  v.set('end_epoch', String(sec(end)));
  v.set('end_uepoch', String(end));
  if (lastApp) {
    v.set('last_app', lastApp.app);
    v.set('last_arg', lastApp.arg);
  }
  v.set('caller_id', `"${ch.profile.callerIdName}" <${ch.profile.callerIdNumber}>`);
  const ms = (us: number) => String(Math.floor(us / 1000));
  v.set('duration', String(durationSec));
  v.set('billsec', String(billSec));
  v.set('progresssec', '0');
  v.set('answersec', answered ? String(sec(answered) - sec(t.created)) : '0');
  v.set('waitsec', '0');
  v.set('progress_mediasec', '0');
  v.set('flow_billsec', String(durationSec));
  v.set('mduration', ms(durUs));
  v.set('billmsec', ms(billUs));
  v.set('progressmsec', '0');
  v.set('answermsec', answered ? ms(answered - t.created) : '0');
  v.set('waitmsec', '0');
  v.set('progress_mediamsec', '0');
  v.set('flow_billmsec', ms(durUs));
  v.set('uduration', String(durUs));
  v.set('billusec', String(billUs));
  v.set('progressusec', '0');
  v.set('answerusec', answered ? String(answered - t.created) : '0');
  v.set('waitusec', '0');
  v.set('progress_mediausec', '0');
  v.set('flow_billusec', String(durUs));
  v.set('sip_hangup_disposition', disposition);
  // RTP statistics sofia adds at hang-up; the double has no media, so they describe silence.
  const packets = Math.max(0, Math.floor(durUs / 20_000));
  const rtp: Array<[string, string]> = [
    ['in_raw_bytes', String(packets * 172)],
    ['in_media_bytes', String(packets * 172)],
    ['in_packet_count', String(packets)],
    ['in_media_packet_count', String(packets)],
    ['in_skip_packet_count', '0'],
    ['in_jitter_packet_count', '0'],
    ['in_dtmf_packet_count', '0'],
    ['in_cng_packet_count', '0'],
    ['in_flush_packet_count', '0'],
    ['in_largest_jb_size', '0'],
    ['in_jitter_min_variance', '0.00'],
    ['in_jitter_max_variance', '0.00'],
    ['in_jitter_loss_rate', '0.00'],
    ['in_jitter_burst_rate', '0.00'],
    ['in_mean_interval', '20.00'],
    ['in_flaw_total', '0'],
    ['in_quality_percentage', '100.00'],
    ['in_mos', '4.50'],
    ['out_raw_bytes', String(packets * 172)],
    ['out_media_bytes', String(packets * 172)],
    ['out_packet_count', String(packets)],
    ['out_media_packet_count', String(packets)],
    ['out_skip_packet_count', '0'],
    ['out_dtmf_packet_count', '0'],
    ['out_cng_packet_count', '0'],
    ['rtcp_packet_count', '0'],
    ['rtcp_octet_count', '0'],
  ];
  for (const [n, val] of rtp) v.set(`rtp_audio_${n}`, val);
}

const Q850: Record<string, number> = {
  NORMAL_CLEARING: 16,
  USER_BUSY: 17,
  NO_ANSWER: 19,
  NO_USER_RESPONSE: 18,
  CALL_REJECTED: 21,
  ORIGINATOR_CANCEL: 487,
  NO_ROUTE_DESTINATION: 3,
  UNALLOCATED_NUMBER: 1,
  USER_NOT_REGISTERED: 606,
  DESTINATION_OUT_OF_ORDER: 27,
  NORMAL_TEMPORARY_FAILURE: 41,
};

export const HANGUP_CAUSES = Object.keys(Q850);
