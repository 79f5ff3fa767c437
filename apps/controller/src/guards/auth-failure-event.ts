import { header, type EslHeaders } from '@pbx/events-ingest';
import { DOMAIN_RE, EXTENSION_RE } from '../text.js';

export type RegisterFailure = {
  eventId: string;
  address: string;
  type: 'REGISTER' | 'INVITE';
  /** The To user and host of the refused request (for an INVITE: the callee, not the caller). */
  toUser: string | null;
  toHost: string | null;
};

const ADDRESS_RE = /^[\d.]{7,15}$|^[\da-f:.]{2,45}$/i;

/**
 * A `sofia::register_failure` event: FreeSWITCH sends one for every request it answers 403 after checking the
 * digest (wrong password, unknown user, or a user the directory refused), for REGISTER and for INVITE
 * (`registration-type`), with the source address (`network-ip`) and the request's To user and host (sofia_reg.c
 * `sofia_reg_handle_register_token`; docs/freeswitch-facts.md). A 401 challenge sends none. The event id (core
 * UUID and sequence) is the same on every controller that receives it, so the failure counts once.
 */
export function parseRegisterFailure(e: EslHeaders): RegisterFailure | null {
  const core = header(e, 'Core-UUID');
  const seq = header(e, 'Event-Sequence');
  const address = header(e, 'network-ip');
  if (!core || !seq || !address || !ADDRESS_RE.test(address)) return null;
  const user = header(e, 'to-user') ?? null;
  const host = header(e, 'to-host')?.toLowerCase() ?? null;
  return {
    eventId: `${core}:${seq}`,
    address,
    type: header(e, 'registration-type') === 'INVITE' ? 'INVITE' : 'REGISTER',
    toUser: user !== null && EXTENSION_RE.test(user) ? user : null,
    toHost: host !== null && DOMAIN_RE.test(host) ? host : null,
  };
}
