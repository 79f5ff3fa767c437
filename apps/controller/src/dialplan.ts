import type { RouteStep } from '@pbx/domain/routing';
import {
  Actions,
  check,
  checkDomain,
  HANGUP_AFTER_BRIDGE,
  ringLines,
  voicemailVars,
} from './dialplan-lines.js';
import { CAUSE_RE, fsText, regexLiteral, xmlEscape } from './text.js';
import { attr, close, document, open } from './xml.js';
import { renderTrunkBridges } from './trunk-failover.js';
import { TRANSFER_TOKEN_VAR, type TransferTokens } from './xml-curl/transfer-token.js';

export { UnsafeValue } from './dialplan-lines.js';

export type RenderOptions = {
  /** The Hunt-Context of the request: the answer must use exactly this context. */
  context: string;
  destination: string;
  recordingsDir: string;
  outboundSocket: string;
  /** The channel's UUID (Unique-ID of the request): what transfer tokens are bound to. */
  uuid: string;
  /**
   * Sign the value of TRANSFER_TOKEN_VAR that lets this channel's next lookup reach `target` (an internal `pbx-…`
   * destination) in `context`; set right before every transfer to one, so the engine accepts it there and only
   * there. An object shared by every call rather than a closure per call: rendering runs for every call.
   */
  transferTokens: Pick<TransferTokens, 'sign'>;
  /**
   * The announcements (MEDIA_DIR prompt files) a refused external call hears after the information tone; absent,
   * only the tone.
   */
  refusalPrompts?: RefusalPrompts | undefined;
};

export type RefusalPrompts = { barred: string; busy: string; lineBlocked: string };

/** Which announcement each refusal of an external call plays (docs/security.md). */
const REFUSAL_PROMPT: Partial<Record<string, keyof RefusalPrompts>> = {
  INTERNATIONAL_BLOCKED: 'barred',
  PREMIUM_BLOCKED: 'barred',
  POLICY_BLOCKED: 'barred',
  COUNTRY_BLOCKED: 'barred',
  CONCURRENT_LIMIT: 'busy',
  EXTENSION_CONCURRENT_LIMIT: 'busy',
  EXTENSION_BLOCKED: 'lineBlocked',
  VELOCITY_BLOCKED: 'lineBlocked',
};

/** Special information tone (ITU-T E.180): "your call cannot be completed". */
const SIT_TONE = 'tone_stream://%(274,0,913.8);%(274,0,1370.6);%(380,0,1776.7)';
const CONFIRM_ON = 'tone_stream://%(150,50,880);%(150,50,1320)';
const CONFIRM_OFF = 'tone_stream://%(300,0,440)';

const TENANT_ID_RE = /^[0-9a-f-]{36}$/;
const CALLER_ID_RE = /^\+?\d{1,16}$/;
/** The SIP header a trunk takes an emergency location in (the API allows X-… and P-… names only). */
const LOCATION_HEADER_RE = /^[XP]-[A-Za-z0-9-]{1,60}$/;
const TRAILING_SLASH = /\/$/;
const LIMIT_TARGET = 'pbx-blocked-CONCURRENT_LIMIT';

/** Turns engine steps into dialplan actions. Anything that lands in a dial string is validated against a strict pattern first. */
function renderActions(steps: RouteStep[], o: RenderOptions, a: Actions): void {
  let recorded = false;
  for (const s of steps) {
    switch (s.kind) {
      case 'note':
        break;
      case 'set':
        a.set(s.name, s.value, s.export === true);
        break;
      case 'answer':
        a.add('answer');
        break;
      case 'record': {
        const path = `${o.recordingsDir.replace(TRAILING_SLASH, '')}/${check(TENANT_ID_RE, s.tenantId, 'tenant id')}/\${uuid}.wav`;
        recorded = true;
        a.set('pbx_recording', 'true');
        a.add('set', `pbx_recording_path=${path}`);
        a.add('record_session', path);
        break;
      }
      case 'stop_record':
        // The path this channel's record_session was started with (set before it, kept across the transfer).
        a.add('stop_record_session', '${pbx_recording_path}');
        break;
      case 'ring': {
        const r = ringLines(s);
        a.line(r.bridge);
        if (r.onFail) {
          // The actions after a bridge run only when it failed: no second lookup, no token (RingStep.onFail).
          // Voicemail is not call-recorded (RouteSteps.keepVoicemailUnrecorded): this call's recording stops.
          if (r.onFail.socket && recorded) a.add('stop_record_session', '${pbx_recording_path}');
          a.line(r.onFail.lines);
          if (r.onFail.socket) handOver(a, o);
          break;
        }
        // Busy / no answer: FreeSWITCH asks again for the continuation, with the real outcome in the number.
        a.set(TRANSFER_TOKEN_VAR, o.transferTokens.sign(o.uuid, r.domain, r.next));
        a.line(r.transfer);
        break;
      }
      case 'voicemail':
        voicemailVars(a, s.mode, s.boxId, s.boxNumber);
        if (s.reason) a.set('pbx_vm_reason', s.reason);
        handOver(a, o);
        break;
      case 'ivr':
        a.set('pbx_app', 'ivr');
        a.set('pbx_ivr_menu_id', s.menuId);
        a.set('pbx_ivr_menu_name', s.menuName);
        handOver(a, o);
        break;
      case 'outbound': {
        a.set('effective_caller_id_number', check(CALLER_ID_RE, s.callerIdNumber, 'caller id'));
        a.set('effective_caller_id_name', s.callerIdName);
        a.set('pbx_callee', s.e164);
        a.set('pbx_caller_number', s.callerIdNumber);
        if (s.maxConcurrent > 0) {
          // Concurrent outbound calls per tenant are counted by FreeSWITCH's `hash` limit backend (released
          // when the channel ends); over the limit, FreeSWITCH transfers to the blocked continuation.
          const tenant = check(TENANT_ID_RE, s.tenantId, 'tenant id');
          const domain = checkDomain(s.domain);
          a.set(TRANSFER_TOKEN_VAR, o.transferTokens.sign(o.uuid, domain, LIMIT_TARGET));
          a.add(
            'limit',
            `hash pbx_outbound ${tenant} ${Math.trunc(s.maxConcurrent)} ${LIMIT_TARGET} XML ${domain}`,
          );
        }
        const where = s.emergency;
        if (where?.location && where.locationHeader)
          // sofia sends every `sip_h_<name>` channel variable of the bridging channel as a header of the INVITE.
          a.add(
            'set',
            `sip_h_${check(LOCATION_HEADER_RE, where.locationHeader, 'location header')}=${fsText(where.location, 200)}`,
          );
        if (s.fraud && s.fraud.maxDurationSec > 0)
          // mod_dptools' sched_hangup, run when the call is answered: the answered call ends after the policy's
          // maximum (cause ALLOTTED_TIMEOUT in its CDR), whatever the caller does.
          a.set('execute_on_answer', `sched_hangup +${Math.trunc(s.fraud.maxDurationSec)} ALLOTTED_TIMEOUT`);
        a.line(HANGUP_AFTER_BRIDGE);
        renderTrunkBridges(a, s.trunks, check, s.callerIdNumber);
        break;
      }
      case 'feature':
        a.add('answer');
        a.add('playback', s.confirm === 'on' ? CONFIRM_ON : CONFIRM_OFF);
        a.add('hangup', 'NORMAL_CLEARING');
        break;
      case 'hangup':
        if (s.reason && s.reason !== 'UNALLOCATED') {
          a.add('pre_answer');
          a.add('playback', SIT_TONE);
          const prompt = REFUSAL_PROMPT[s.reason];
          if (prompt && o.refusalPrompts) a.add('playback', o.refusalPrompts[prompt]);
        }
        a.add('hangup', check(CAUSE_RE, s.cause, 'cause'));
        break;
    }
  }
}

/** Hands the call to the controller's outbound socket (the voicemail and IVR runtimes); it ends when they return. */
function handOver(a: Actions, o: RenderOptions): void {
  a.add('socket', `${o.outboundSocket} async full`);
  a.add('hangup', 'NORMAL_CLEARING');
}

const SECTION = open(1, 'section', attr('name', 'dialplan') + attr('description', 'pbx controller'));
const TAIL = close(3, 'extension') + close(2, 'context') + close(1, 'section');
/**
 * The answer's fixed text around its per-call values (the context's name, the dialed number, the actions), built
 * once and split at a slot character that occurs nowhere else in its template.
 */
const SLOT = '\u0000';
const [HEAD = '', END_OF_DOCUMENT = ''] = document(`${SECTION}${SLOT}${TAIL}`).split(SLOT);
const [CONTEXT_START = '', CONTEXT_END = ''] = (
  open(2, 'context', attr('name', '~')) + open(3, 'extension', attr('name', 'pbx-route'))
).split('~');
/** The `<condition>` around the actions, up to the dialed number and after it (the field is always the same). */
const [CONDITION_START = '', CONDITION_END = ''] = open(
  4,
  'condition',
  attr('field', 'destination_number') + attr('expression', '^#$'),
).split('#');
const CONDITION_CLOSE = close(4, 'condition');
const EMPTY_CONDITION_END = CONDITION_END.replace('>\n', '/>\n');

/** The whole answer: one context (the one FreeSWITCH asked for) with one extension matching exactly the dialed number. */
export function renderDialplan(steps: RouteStep[], o: RenderOptions): string {
  const a = new Actions();
  renderActions(steps, o, a);
  // `^` and `$` have nothing to escape in XML: the expression is escaped around them.
  const head = [
    HEAD,
    CONTEXT_START,
    xmlEscape(o.context),
    CONTEXT_END,
    CONDITION_START,
    xmlEscape(regexLiteral(o.destination)),
  ];
  if (a.parts.length === 0) head.push(EMPTY_CONDITION_END, END_OF_DOCUMENT);
  else head.push(CONDITION_END, ...a.parts, CONDITION_CLOSE, END_OF_DOCUMENT);
  return head.join('');
}
