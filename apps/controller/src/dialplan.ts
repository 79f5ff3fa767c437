import type { RouteStep } from '@pbx/domain/routing';
import { DOMAIN_RE, EXTENSION_RE, fsText, regexLiteral } from './text.js';
import { document, el, type Node } from './xml.js';

export type RenderOptions = {
  /** The Hunt-Context of the request: the answer must use exactly this context. */
  context: string;
  destination: string;
  recordingsDir: string;
  outboundSocket: string;
};

/** Special information tone (ITU-T E.180): "your call cannot be completed". */
const SIT_TONE = 'tone_stream://%(274,0,913.8);%(274,0,1370.6);%(380,0,1776.7)';
const CONFIRM_ON = 'tone_stream://%(150,50,880);%(150,50,1320)';
const CONFIRM_OFF = 'tone_stream://%(300,0,440)';

const GATEWAY_RE = /^[A-Za-z0-9_.-]{1,64}$/;
const DIAL_RE = /^[0-9*#+]{1,32}$/;
const VAR_NAME_RE = /^[a-z_][a-z0-9_]{0,63}$/;
const CAUSE_RE = /^[A-Z_]{1,40}$/;

export class UnsafeValue extends Error {}
const check = (re: RegExp, v: string, what: string): string => {
  if (!re.test(v)) throw new UnsafeValue(`refusing to render ${what} ${JSON.stringify(v)}`);
  return v;
};

/** Turns engine steps into dialplan actions. Anything that lands in a dial string is validated against a strict pattern first. */
export function renderActions(steps: RouteStep[], o: RenderOptions): [string, string | undefined][] {
  const a: [string, string | undefined][] = [];
  const set = (name: string, value: string, exported = false) =>
    a.push([exported ? 'export' : 'set', `${check(VAR_NAME_RE, name, 'variable')}=${fsText(value, 200)}`]);
  for (const s of steps) {
    switch (s.kind) {
      case 'note':
        break;
      case 'set':
        set(s.name, s.value, s.export === true);
        break;
      case 'answer':
        a.push(['answer', undefined]);
        break;
      case 'record': {
        const path = `${o.recordingsDir.replace(/\/$/, '')}/${check(/^[0-9a-f-]{36}$/, s.tenantId, 'tenant id')}/\${uuid}.wav`;
        set('pbx_recording', 'true');
        a.push(['set', `pbx_recording_path=${path}`]);
        a.push(['record_session', path]);
        break;
      }
      case 'ring': {
        const domain = check(DOMAIN_RE, s.domain, 'domain');
        // Each B leg carries its own extension (pbx_extension) for CDRs and recordings.
        const leg = (t: { number: string; timeoutSec: number }, timeout: boolean) => {
          const n = check(EXTENSION_RE, t.number, 'extension');
          return `[${timeout ? `leg_timeout=${Math.trunc(t.timeoutSec)},` : ''}pbx_extension=${n}]user/${n}@${domain}`;
        };
        const dial =
          s.strategy === 'SIMULTANEOUS'
            ? `{leg_timeout=${Math.trunc(s.timeoutSec)}}${s.targets.map((t) => leg(t, false)).join(',')}`
            : s.targets.map((t) => leg(t, true)).join('|');
        set('continue_on_fail', 'true');
        set('hangup_after_bridge', 'true');
        a.push(['bridge', dial]);
        // Busy / no answer: FreeSWITCH asks again for the continuation, with the real outcome in the number.
        a.push([
          'transfer',
          `${check(/^pbx-after-[a-z0-9-]+-$/, s.next, 'continuation')}\${originate_disposition} XML ${domain}`,
        ]);
        break;
      }
      case 'voicemail':
        set('pbx_app', 'voicemail');
        set('pbx_vm_action', s.mode);
        if (s.boxId) set('pbx_vm_box_id', s.boxId);
        if (s.boxNumber) set('pbx_vm_box', s.boxNumber);
        a.push(['socket', `${o.outboundSocket} async full`]);
        a.push(['hangup', 'NORMAL_CLEARING']);
        break;
      case 'ivr':
        set('pbx_app', 'ivr');
        set('pbx_ivr_menu_id', s.menuId);
        set('pbx_ivr_menu_name', s.menuName);
        a.push(['socket', `${o.outboundSocket} async full`]);
        a.push(['hangup', 'NORMAL_CLEARING']);
        break;
      case 'outbound': {
        set('effective_caller_id_number', check(/^\+?\d{1,16}$/, s.callerIdNumber, 'caller id'));
        set('effective_caller_id_name', s.callerIdName);
        set('pbx_callee', s.e164);
        set('pbx_caller_number', s.callerIdNumber);
        if (s.maxConcurrent > 0) {
          // Concurrent outbound calls per tenant are counted by FreeSWITCH's `hash` limit backend (released
          // when the channel ends); over the limit, FreeSWITCH transfers to the blocked continuation.
          const tenant = check(/^[0-9a-f-]{36}$/, s.tenantId, 'tenant id');
          a.push([
            'limit',
            `hash pbx_outbound ${tenant} ${Math.trunc(s.maxConcurrent)} pbx-blocked-CONCURRENT_LIMIT XML ${check(DOMAIN_RE, s.domain, 'domain')}`,
          ]);
        }
        set('hangup_after_bridge', 'true');
        a.push([
          'bridge',
          `sofia/gateway/${check(GATEWAY_RE, s.gateway, 'gateway')}/${check(DIAL_RE, s.dial, 'number')}`,
        ]);
        break;
      }
      case 'feature':
        a.push(['answer', undefined]);
        a.push(['playback', s.confirm === 'on' ? CONFIRM_ON : CONFIRM_OFF]);
        a.push(['hangup', 'NORMAL_CLEARING']);
        break;
      case 'hangup':
        if (s.reason && s.reason !== 'UNALLOCATED') {
          a.push(['pre_answer', undefined]);
          a.push(['playback', SIT_TONE]);
        }
        a.push(['hangup', check(CAUSE_RE, s.cause, 'cause')]);
        break;
    }
  }
  return a;
}

export function renderDialplan(steps: RouteStep[], o: RenderOptions): string {
  const actions: Node[] = renderActions(steps, o).map(([application, data]) =>
    el('action', { application, data }),
  );
  return document(
    el('section', { name: 'dialplan', description: 'pbx controller' }, [
      el('context', { name: o.context }, [
        el('extension', { name: 'pbx-route' }, [
          el(
            'condition',
            { field: 'destination_number', expression: `^${regexLiteral(o.destination)}$` },
            actions,
          ),
        ]),
      ]),
    ]),
  );
}
