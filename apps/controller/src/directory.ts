import {
  effectiveRecording,
  outboundCallerId,
  type Destination,
  type ExtensionSnapshot,
  type TenantSnapshot,
} from '@pbx/domain/routing';
import { fsText } from './text.js';
import { attr, document, leaf, wrap } from './xml.js';

/** What FreeSWITCH dials for `user/<ext>@<domain>`: every registered contact of that user. */
export const DIAL_STRING =
  '{^^:sip_invite_domain=${dialed_domain}:presence_id=${dialed_user}@${dialed_domain}}${sofia_contact(*/${dialed_user}@${dialed_domain})}';

const DOMAIN_PARAMS = wrap(
  3,
  'params',
  '',
  leaf(4, 'param', attr('name', 'dial-string') + attr('value', DIAL_STRING)),
);

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
  // document > section > domain > groups > group > users > user > params|variables > param|variable
  const params =
    purpose === 'sip_auth'
      ? leaf(8, 'param', attr('name', 'a1-hash') + attr('value', ext.sipA1Hash))
      : ext.dnd
        ? leaf(8, 'param', attr('name', 'dial-string') + attr('value', 'error/USER_BUSY'))
        : '';
  let variables = '';
  for (const [name, value] of vars)
    if (value !== '') variables += leaf(8, 'variable', attr('name', name) + attr('value', value));
  const user = wrap(
    6,
    'user',
    attr('id', ext.number),
    (params === '' ? '' : wrap(7, 'params', '', params)) + wrap(7, 'variables', '', variables),
  );
  const groups = wrap(3, 'groups', '', wrap(4, 'group', attr('name', 'default'), wrap(5, 'users', '', user)));
  return document(
    wrap(
      1,
      'section',
      attr('name', 'directory'),
      wrap(2, 'domain', attr('name', t.domain), DOMAIN_PARAMS + groups),
    ),
  );
}
