import {
  effectiveRecording,
  outboundCallerId,
  type Destination,
  type ExtensionSnapshot,
  type TenantSnapshot,
} from '@pbx/domain/routing';
import { fsText } from './text.js';
import { document, el, type Node } from './xml.js';

/** What FreeSWITCH dials for `user/<ext>@<domain>`: every registered contact of that user. */
export const DIAL_STRING =
  '{^^:sip_invite_domain=${dialed_domain}:presence_id=${dialed_user}@${dialed_domain}}${sofia_contact(*/${dialed_user}@${dialed_domain})}';

const describe = (d: Destination | null): string => (d ? `${d.type}:${d.value ?? ''}` : '');

/**
 * The directory answer for one user. `sip_auth` gets the a1-hash FreeSWITCH
 * checks the digest against; `user_call` gets the dial-string (a phone on
 * do-not-disturb answers busy at once). Both carry the variables a call from
 * or to that phone needs; they become channel variables.
 */
export function renderUser(
  s: TenantSnapshot,
  ext: ExtensionSnapshot,
  purpose: 'sip_auth' | 'user_call',
): string {
  // Snapshots are immutable and replaced on every change, so a rendered answer can live as long as its extension object.
  let cached = rendered.get(ext);
  if (!cached) rendered.set(ext, (cached = {}));
  return (cached[purpose] ??= build(s, ext, purpose));
}

const rendered = new WeakMap<ExtensionSnapshot, { sip_auth?: string; user_call?: string }>();

function build(s: TenantSnapshot, ext: ExtensionSnapshot, purpose: 'sip_auth' | 'user_call'): string {
  const t = s.tenant;
  const cid = outboundCallerId(s, ext);
  const box =
    ext.voicemailEnabled && ext.voicemailBoxId
      ? s.voicemailBoxes.find((b) => b.id === ext.voicemailBoxId)
      : undefined;
  const vars: [string, string][] = [
    ['user_context', t.domain],
    ['accountcode', t.id],
    ['pbx_tenant_id', t.id],
    ['pbx_extension_id', ext.id],
    ['effective_caller_id_name', fsText(ext.callerIdName ?? ext.displayName)],
    ['effective_caller_id_number', ext.number],
    ['outbound_caller_id_name', fsText(cid.name)],
    ['outbound_caller_id_number', cid.number ?? ''],
    ['pbx_voicemail_box', box?.number ?? ''],
    ['pbx_recording', effectiveRecording(s, ext)],
    ['pbx_outbound_policy', ext.outboundPolicy],
    ['pbx_allow_international', String(t.allowInternational)],
    ['pbx_allow_premium', String(t.allowPremium)],
  ];
  if (purpose === 'user_call') {
    vars.push(
      ['pbx_dnd', String(ext.dnd)],
      ['pbx_forward_always', describe(ext.forwardAlways)],
      ['pbx_forward_busy', describe(ext.forwardBusy)],
      ['pbx_forward_no_answer', describe(ext.forwardNoAnswer)],
    );
  }
  const params: Node[] =
    purpose === 'sip_auth'
      ? [el('param', { name: 'a1-hash', value: ext.sipA1Hash })]
      : ext.dnd
        ? [el('param', { name: 'dial-string', value: 'error/USER_BUSY' })]
        : [];
  const user = el('user', { id: ext.number }, [
    ...(params.length > 0 ? [el('params', {}, params)] : []),
    el(
      'variables',
      {},
      vars.filter(([, v]) => v !== '').map(([name, value]) => el('variable', { name, value })),
    ),
  ]);
  return document(
    el('section', { name: 'directory' }, [
      el('domain', { name: t.domain }, [
        el('params', {}, [el('param', { name: 'dial-string', value: DIAL_STRING })]),
        el('groups', {}, [el('group', { name: 'default' }, [el('users', {}, [user])])]),
      ]),
    ]),
  );
}
