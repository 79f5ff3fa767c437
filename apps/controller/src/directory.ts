import {
  effectiveRecording,
  outboundCallerId,
  type ExtensionSnapshot,
  type StoredDestination,
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

const describe = (d: StoredDestination | null): string => (d ? `${d.type}:${d.value ?? ''}` : '');

// document > section > domain > groups > group > users > user > params|variables > param|variable
const VAR_DEPTH = 8;
const variable = (name: string, value: string): string =>
  value === '' ? '' : leaf(VAR_DEPTH, 'variable', attr('name', name) + attr('value', value));

/** What every answer of one tenant shares, made once per snapshot. */
type TenantParts = { head: string; tail: string; first: string; last: string };
const tenantParts = new WeakMap<TenantSnapshot, TenantParts>();

function partsOf(s: TenantSnapshot): TenantParts {
  let p = tenantParts.get(s);
  if (!p) {
    const t = s.tenant;
    // The document around one user, split where the user goes (a marker no user can contain).
    const MARK = '\0';
    const groups = wrap(
      3,
      'groups',
      '',
      wrap(4, 'group', attr('name', 'default'), wrap(5, 'users', '', MARK)),
    );
    const whole = document(
      wrap(
        1,
        'section',
        attr('name', 'directory'),
        wrap(2, 'domain', attr('name', t.domain), DOMAIN_PARAMS + groups),
      ),
    );
    const at = whole.indexOf(MARK);
    p = {
      head: whole.slice(0, at),
      tail: whole.slice(at + MARK.length),
      first:
        variable('user_context', t.domain) + variable('accountcode', t.id) + variable('pbx_tenant_id', t.id),
      last:
        variable('pbx_allow_international', String(t.allowInternational)) +
        variable('pbx_allow_premium', String(t.allowPremium)),
    };
    tenantParts.set(s, p);
  }
  return p;
}

/**
 * The directory answer for one user, the same for every purpose, carrying `cacheable` so FreeSWITCH keeps it.
 *
 * FreeSWITCH caches a `<user>` by lookup key, user and domain only (src/switch_xml.c
 * `switch_xml_locate_user_merged`): REGISTER/INVITE/SUBSCRIBE auth (`sip_auth`), bridging to `user/<ext>@<domain>`
 * (`user_call`) and sofia's other user lookups are then answered from one cached entry. So the answer holds what
 * every one of them needs, and each reads only its part (checked against the captures and the source):
 * - sofia's auth (`sofia_reg.c` `sofia_reg_parse_auth`) reads the `a1-hash`/`password` params and turns every
 *   `<variable>` into a channel variable (or a `sofia::register` header); it never reads `dial-string`. The captured
 *   sip_auth answer (xml_curl/003) already carried the domain's `dial-string` param and was accepted.
 * - `user_call` (`mod_dptools.c` `user_outgoing_channel`) reads `dial-string` (user before domain) and the
 *   variables; it never reads `a1-hash`.
 * The DND and forwarding variables thus also appear on the phone's own calls and in its `sofia::register` event:
 * they are the user's settings, not secrets, and nothing acts on them there.
 *
 * Answers are built per lookup, not kept: one per phone would hold ~1.6 kB for each of the platform's phones once
 * all have registered (87 MB for 50,000). What the tenant's answers share is made once per snapshot.
 */
export function renderUser(s: TenantSnapshot, ext: ExtensionSnapshot, cacheableMs: number): string {
  const p = partsOf(s);
  const cid = outboundCallerId(s, ext);
  const box =
    ext.voicemailEnabled && ext.voicemailBoxId
      ? s.voicemailBoxes.find((b) => b.id === ext.voicemailBoxId)
      : undefined;
  const variables =
    p.first +
    variable('pbx_extension_id', ext.id) +
    variable('effective_caller_id_name', fsText(ext.callerIdName ?? ext.displayName)) +
    variable('effective_caller_id_number', ext.number) +
    variable('outbound_caller_id_name', fsText(cid.name)) +
    variable('outbound_caller_id_number', cid.number ?? '') +
    variable('pbx_voicemail_box', box?.number ?? '') +
    variable('pbx_recording', effectiveRecording(s, ext)) +
    variable('pbx_outbound_policy', ext.outboundPolicy) +
    p.last +
    variable('pbx_dnd', String(ext.dnd)) +
    variable('pbx_forward_always', describe(ext.forwardAlways)) +
    variable('pbx_forward_busy', describe(ext.forwardBusy)) +
    variable('pbx_forward_no_answer', describe(ext.forwardNoAnswer));
  // A phone on do-not-disturb answers busy at once when bridged to.
  const params =
    leaf(8, 'param', attr('name', 'a1-hash') + attr('value', ext.sipA1Hash)) +
    (ext.dnd ? leaf(8, 'param', attr('name', 'dial-string') + attr('value', 'error/USER_BUSY')) : '');
  const user = wrap(
    6,
    'user',
    attr('id', ext.number) + attr('cacheable', String(cacheableMs)),
    wrap(7, 'params', '', params) + wrap(7, 'variables', '', variables),
  );
  return p.head + user + p.tail;
}
