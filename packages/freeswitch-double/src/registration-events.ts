// The sofia registration events (sofia_reg.c) the double fires for a phone's REGISTER, unregister,
// expiry and refused REGISTER.
import { randomUUID } from 'node:crypto';
import { ORIGINS, type EventFactory, type FsEvent } from './fs-event.js';
import { contactOf, storedExpires, type Registration } from './registrations.js';

export interface RegisterPhoneOptions {
  user: string;
  domain: string;
  profile?: string;
  expiresSec?: number;
  networkIp?: string;
  networkPort?: number;
  userAgent?: string;
  callId?: string;
  directoryVars?: Record<string, string>;
  /** Digest realm, when it differs from `domain` (the To host the registration is filed under). */
  realm?: string;
  /** The From header's host, when it differs from `domain`. */
  fromHost?: string;
}

/** The registration a REGISTER of `o` creates (the defaults are those of the captures). */
export function newRegistration(o: RegisterPhoneOptions): Registration {
  const port = o.networkPort ?? 5070;
  const r: Registration = {
    user: o.user,
    domain: o.domain,
    profile: o.profile ?? 'internal',
    callId: o.callId ?? `reg-${o.user}@${randomUUID().slice(0, 8)}.invalid`,
    contactHost: o.networkIp ?? '127.0.0.1',
    contactPort: port,
    networkIp: o.networkIp ?? '127.0.0.1',
    networkPort: port,
    userAgent: o.userAgent ?? 'SIPp-capture',
    expiresSec: o.expiresSec ?? 3600,
    registeredAt: Math.floor(Date.now() / 1000),
    ...(o.realm !== undefined ? { realm: o.realm } : {}),
    ...(o.fromHost !== undefined ? { fromHost: o.fromHost } : {}),
    directoryVars: o.directoryVars ?? {
      sip_number_alias: o.user,
      sip_auth_username: o.user,
      sip_auth_realm: o.domain,
      number_alias: o.user,
      user_name: o.user,
      domain_name: o.domain,
      user_context: 'default',
      effective_caller_id_name: `Extension ${o.user}`,
      effective_caller_id_number: o.user,
    },
  };
  return r;
}

export function registrationEvent(
  factory: EventFactory,
  kind: 'pre_register' | 'register_attempt' | 'register' | 'unregister' | 'expire',
  r: Registration,
): FsEvent {
  const origin =
    kind === 'register'
      ? ORIGINS.REGISTER
      : kind === 'unregister'
        ? ORIGINS.UNREGISTER
        : kind === 'expire'
          ? ORIGINS.EXPIRE
          : {
              file: 'sofia_reg.c',
              func: 'sofia_reg_handle_register_token',
              line: kind === 'pre_register' ? 1810 : 1606,
            };
  const e = factory.create('CUSTOM', origin, `sofia::${kind}`);
  const contact = contactOf(r);
  if (kind === 'expire') {
    e.add('profile-name', r.profile)
      .add('call-id', r.callId)
      .add('user', r.user)
      .add('username', r.user)
      .add('host', r.domain);
    e.add('contact', contact)
      .add('expires', storedExpires(r))
      .add('user-agent', r.userAgent)
      .add('realm', r.realm ?? r.domain);
    e.add('network-ip', r.networkIp).add('network-port', r.networkPort);
    return e;
  }
  if (kind === 'unregister') {
    e.add('profile-name', r.profile)
      .add('username', r.user)
      .add('from-user', r.user)
      .add('from-host', r.domain);
    e.add('contact', contact)
      .add('call-id', r.callId)
      .add('rpid', 'unknown')
      .add('realm', r.realm ?? r.domain);
    e.add('network-ip', r.networkIp)
      .add('network-port', r.networkPort)
      .add('user-agent', r.userAgent)
      .add('expires', '0');
    for (const [k, v] of Object.entries(r.directoryVars)) e.add(k, v);
    return e;
  }
  e.add('profile-name', r.profile).add('from-user', r.user).add('from-host', r.domain);
  if (kind === 'register') e.add('presence-hosts', 'n/a');
  e.add('contact', contact).add('call-id', r.callId).add('rpid', 'unknown').add('status', 'Registered(UDP)');
  // The naming trap of sofia_reg.c: from-* hold the To (AOR), to-* the From header (docs/freeswitch-facts.md).
  e.add('expires', r.expiresSec)
    .add('to-user', r.user)
    .add('to-host', r.fromHost ?? r.domain);
  e.add('network-ip', r.networkIp).add('network-port', r.networkPort);
  if (kind !== 'pre_register') e.add('username', r.user).add('realm', r.realm ?? r.domain);
  e.add('user-agent', r.userAgent);
  if (kind === 'register_attempt') e.add('auth-result', 'SUCCESS');
  if (kind === 'register') for (const [k, v] of Object.entries(r.directoryVars)) e.add(k, v);
  return e;
}

/**
 * A REGISTER or INVITE answered 403 (wrong password, unknown user, user refused by the directory):
 * sofia::register_failure. sofia_reg.c `sofia_reg_handle_register_token` fires it for both (`registration-type`),
 * with the request's To user and host (an INVITE's To is the callee) and the source address.
 */
export function registerFailureEvent(
  factory: EventFactory,
  o: {
    user: string;
    domain: string;
    profile?: string;
    networkIp?: string;
    networkPort?: number;
    userAgent?: string;
    registrationType?: 'REGISTER' | 'INVITE';
  },
): FsEvent {
  const profile = o.profile ?? 'internal';
  const e = factory.create('CUSTOM', ORIGINS.REGISTER_FAILURE, 'sofia::register_failure');
  e.add('profile-name', profile)
    .add('to-user', o.user)
    .add('to-host', o.domain)
    .add('network-ip', o.networkIp ?? '127.0.0.1');
  e.add('user-agent', o.userAgent ?? 'SIPp-capture')
    .add('profile-name', profile)
    .add('network-port', o.networkPort ?? 5070);
  e.add('registration-type', o.registrationType ?? 'REGISTER');
  return e;
}
