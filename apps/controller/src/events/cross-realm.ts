import type { EslClient, RawEslEvent } from '@pbx/esl';
import type { ControllerMetrics } from '../metrics.js';

type Log = { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };

/** What FreeSWITCH's argument splitting (on spaces) passes through as one argument. */
const ARG = /^[\x21-\x7e]{1,256}$/;

/**
 * The directory refuses a sip_auth lookup whose To/From names another domain than the digest realm
 * (xml-curl/sip-auth-hosts.ts), but with `cacheable` answers FreeSWITCH authenticates a REGISTER from its user
 * cache without asking (keyed by lookup key, user and domain = realm, never by To/From; src/switch_xml.c). A phone
 * of tenant A whose user@A is cached could so register as user@B. Every successful REGISTER fires `sofia::register` with the
 * realm, the AOR (`from-user`/`from-host`, the To header: what the registration is filed under) and the From header's
 * host (`to-host`; docs/freeswitch-facts.md §1): when they disagree, the registration is dropped at once on that node with
 * `sofia profile <profile> flush_inbound_reg <call-id>` (mod_sofia.c), counted and logged. The phone's user is then
 * dropped from that node's user cache (`xml_flush_cache id <username> <realm>`): flushing a registration does not
 * stop the phone from registering again, but its next REGISTER reaches the directory, which refuses it.
 *
 * What remains: between FreeSWITCH's 200 OK and the flush (one event and one command round trip, milliseconds) the
 * registration exists and a call to user@B could be delivered to it; INVITE and SUBSCRIBE answered from the cache
 * are not re-checked (no event carries their headers before they act). Both need a phone that holds A's valid
 * credentials and a cached entry of its own user, and are bounded by the flush and DIRECTORY_CACHE_MS.
 */
export function evictCrossRealmRegistrations(deps: {
  esl: EslClient;
  metrics: Pick<ControllerMetrics, 'crossRealmEvictions'>;
  log: Log;
}): () => void {
  const { esl, metrics, log } = deps;
  const handle = (node: string, e: RawEslEvent): void => {
    if (e.subclass !== 'sofia::register') return;
    const h = e.headers;
    const realm = h.get('realm')?.toLowerCase() ?? '';
    const aorHost = h.get('from-host')?.toLowerCase() ?? '';
    const fromHost = h.get('to-host')?.toLowerCase() ?? '';
    const username = h.get('username') ?? '';
    const aorUser = h.get('from-user') ?? '';
    if (realm === aorHost && realm === fromHost && username === aorUser) return;
    const profile = h.get('profile-name') ?? '';
    const callId = h.get('call-id') ?? '';
    const target = ARG.test(callId) ? callId : `${aorUser}@${aorHost}`;
    const info = { node, profile, realm, username, aor: `${aorUser}@${aorHost}`, fromHost, callId };
    if (!ARG.test(profile) || !ARG.test(target)) {
      metrics.crossRealmEvictions.inc({ node, outcome: 'failed' });
      log.error(info, 'cross-realm registration cannot be flushed: unusable profile or call-id');
      return;
    }
    log.warn(info, 'registration whose realm differs from its To/From: flushing it');
    const api = (command: string) => esl.node(node).api(command);
    api(`sofia profile ${profile} flush_inbound_reg ${target}`)
      .then(async (reply) => {
        if (ARG.test(username) && ARG.test(realm)) {
          const flushed = await api(`xml_flush_cache id ${username} ${realm}`);
          if (!flushed.startsWith('+OK')) throw new Error(flushed.trim());
        }
        return reply;
      })
      .then(
        (reply) => {
          const ok = reply.startsWith('+OK');
          metrics.crossRealmEvictions.inc({ node, outcome: ok ? 'ok' : 'failed' });
          if (!ok) log.error({ ...info, reply: reply.trim() }, 'flushing a cross-realm registration failed');
        },
        (error: unknown) => {
          metrics.crossRealmEvictions.inc({ node, outcome: 'failed' });
          log.error(
            { ...info, err: error instanceof Error ? error.message : String(error) },
            'flushing a cross-realm registration failed',
          );
        },
      );
  };
  return esl.onRawEvent(handle, (name) => name === 'CUSTOM');
}
