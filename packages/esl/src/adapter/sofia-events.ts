// The sofia registration events (CUSTOM sofia::register / unregister / expire / register_failure).
import { z } from 'zod';
import { common, commonOut, optInt, optStr, parseHeaders, str, type RawEslEvent } from './event-fields.js';

const registerSchema = z.object({
  ...common,
  'profile-name': str,
  'from-user': optStr,
  'from-host': optStr,
  user: optStr,
  host: optStr,
  username: optStr,
  realm: optStr,
  contact: optStr,
  'call-id': optStr,
  expires: optInt,
  status: optStr,
  'user-agent': optStr,
  'network-ip': optStr,
  'network-port': optInt,
});
const registerFailureSchema = z.object({
  ...common,
  'profile-name': str,
  'to-user': optStr,
  'to-host': optStr,
  'network-ip': optStr,
  'network-port': optInt,
  'user-agent': optStr,
  'registration-type': optStr,
});

export function parseRegistration<K extends 'register' | 'unregister' | 'expire'>(kind: K, raw: RawEslEvent) {
  const h = parseHeaders(registerSchema, raw.headers);
  return {
    eventName: 'CUSTOM' as const,
    subclass: `sofia::${kind}`,
    ...commonOut(h),
    profile: h['profile-name'],
    // sofia::register uses from-user/from-host for the AOR; sofia::expire uses user/host.
    user: h['from-user'] ?? h.user ?? h.username ?? '',
    domain: h['from-host'] ?? h.host ?? h.realm ?? '',
    username: h.username,
    realm: h.realm,
    contact: h.contact,
    callId: h['call-id'],
    expires: h.expires,
    status: h.status,
    userAgent: h['user-agent'],
    networkIp: h['network-ip'],
    networkPort: h['network-port'],
  };
}

export function parseRegisterFailure(raw: RawEslEvent) {
  const h = parseHeaders(registerFailureSchema, raw.headers);
  return {
    eventName: 'CUSTOM' as const,
    subclass: 'sofia::register_failure' as const,
    ...commonOut(h),
    profile: h['profile-name'],
    user: h['to-user'],
    domain: h['to-host'],
    networkIp: h['network-ip'],
    networkPort: h['network-port'],
    userAgent: h['user-agent'],
    registrationType: h['registration-type'],
  };
}

export type SofiaRegisterEvent = ReturnType<typeof parseRegistration<'register'>>;
export type SofiaUnregisterEvent = ReturnType<typeof parseRegistration<'unregister'>>;
export type SofiaExpireEvent = ReturnType<typeof parseRegistration<'expire'>>;
export type SofiaRegisterFailureEvent = ReturnType<typeof parseRegisterFailure>;
export const SOFIA_SUBCLASSES = [
  'sofia::register',
  'sofia::unregister',
  'sofia::expire',
  'sofia::register_failure',
] as const;
