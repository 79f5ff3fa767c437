import type { Form } from '../form.js';

/**
 * FreeSWITCH looks the user of an authenticated request up in the realm the phone wrote into its `Authorization`
 * header, but acts on the request's own headers: a REGISTER is filed under the To user and host, a SUBSCRIBE
 * watches the To resource, and a call's presence is published for the From user@host (docs/freeswitch-facts.md §3, sofia_reg.c
 * `sofia_reg_parse_auth`, which posts every field below). A phone of tenant A holding A's credentials could so
 * register as, watch, or appear as a user of tenant B. The sip_auth answer is the only place that can refuse it.
 *
 * Field by field (`sofia_reg_parse_auth` posts them in this order):
 * - `sip_auth_realm`: the realm the lookup came from; FreeSWITCH looks up exactly this domain unless the profile
 *   forces another (`force-register-domain`, not used by this project). Must be the domain.
 * - `sip_to_host`: REGISTER binds it, SUBSCRIBE watches it: must be the domain. On INVITE, MESSAGE, REFER… To names
 *   the callee, which may legitimately be anywhere (a SIP URI call); the call is routed in the caller's own context
 *   (its `user_context`), never by the To host, so it is not checked there.
 * - `sip_to_user`: REGISTER files the contact under it: must be the authenticated user, or one extension could
 *   take over another's calls inside its own tenant.
 * - `sip_from_host`: the requester's identity (presence and caller-ID of a call, the subscriber of a SUBSCRIBE):
 *   must be the domain; on INVITE the RFC 3323 anonymous host `anonymous.invalid` is allowed (privacy calls).
 * - `sip_request_host`, `sip_contact_host`, `sip_auth_uri`: where the request was sent (the registrar's IP or a
 *   proxy name) and where the phone is; they differ legitimately and carry no tenant identity. Not checked.
 *
 * A field that FreeSWITCH always sends but is missing counts as a mismatch. Hosts compare case-insensitively (DNS
 * names); users exactly (FreeSWITCH's user lookup is exact too).
 */
export function crossTenantRefusal(f: Form, domain: string, user: string): string | null {
  const method = (one(f, 'sip_auth_method') ?? '').toUpperCase();
  const realm = one(f, 'sip_auth_realm');
  if (realm === null || realm.toLowerCase() !== domain) return 'sip_auth_realm';
  const fromHost = one(f, 'sip_from_host')?.toLowerCase();
  if (fromHost !== domain && !(method === 'INVITE' && fromHost === ANONYMOUS_HOST)) return 'sip_from_host';
  if (method === 'REGISTER' || method === 'SUBSCRIBE') {
    if (one(f, 'sip_to_host')?.toLowerCase() !== domain) return 'sip_to_host';
  }
  if (method === 'REGISTER' && one(f, 'sip_to_user') !== user) return 'sip_to_user';
  return null;
}

/** RFC 3323 §4.1.1.3: the host a privacy-requesting caller puts in From. */
const ANONYMOUS_HOST = 'anonymous.invalid';

/**
 * The field's value, or null if it is missing or appears twice with different values: only key_value (the
 * unencoded realm, near the start) can plant a field, and the real one comes later, so a difference is an attack.
 */
function one(f: Form, name: string): string | null {
  const last = f.last(name);
  if (last === undefined || f.get(name) !== last) return null;
  return last;
}
