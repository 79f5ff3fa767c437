// The bridge part of an outbound call: the tenant's trunks in order, each tried only when the one before failed on
// the network side, and every attempt written down on the A leg for its CDR.
//
// Mechanism (FreeSWITCH 1.10, mod_dptools.c audio_bridge_function): with `continue_on_fail` set to a list of cause
// names, a failed `bridge` whose cause is in the list returns and the dialplan goes on to the next action; any other
// cause hangs the caller up with it. switch_ivr_originate.c sets `originate_disposition` on the caller to the
// attempt's cause (GATEWAY_DOWN included, when sofia refuses to create the leg at all), and every action's data is
// expanded when it runs, so `${originate_disposition}` in the `set` after a bridge is that attempt's result. This is
// mod_lcr's own failover (one bridge per route with continue_on_fail), with a cause list instead of `true`.
import { FAILOVER_CAUSES } from '@pbx/domain/routing';

/** The A-leg variable listing the attempts: `gw1:CAUSE,gw2:CAUSE,gw3` (the last one without a cause: see the CDR). */
export const TRUNK_ATTEMPTS_VAR = 'pbx_trunk_attempts';

const GATEWAY_RE = /^[\w.-]{1,64}$/;
const DIAL_RE = /^[0-9*#+]{1,32}$/;
const CONTINUE_ON_FAIL = `continue_on_fail=${FAILOVER_CAUSES.join(',')}`;

type ActionSink = { add(application: string, data: string): void };
/** The dialplan's value check (throws its UnsafeValue, which the lookup answers with "not found"). */
type Check = (re: RegExp, value: string, what: string) => string;

/**
 * Appends the actions: before each trunk its name is added to TRUNK_ATTEMPTS_VAR, after each failed one (only
 * reached on a failover cause) its cause; after the last, the caller is hung up with that last cause. A bridge that
 * connects ends the call there (hangup_after_bridge, set by the caller of this), so nothing after it runs.
 */
export function renderTrunkBridges(
  a: ActionSink,
  trunks: ReadonlyArray<{ gateway: string; dial: string; callerIdNumber: string }>,
  check: Check,
  callerIdNumber: string,
): void {
  const legs = trunks.map((t) => ({
    gateway: check(GATEWAY_RE, t.gateway, 'gateway'),
    dial: check(DIAL_RE, t.dial, 'number'),
    callerId: check(DIAL_RE, t.callerIdNumber, 'caller id'),
  }));
  // The caller ID each trunk wants (its callerIdFormat): set before its bridge where it differs from the one in force,
  // as the originate reads effective_caller_id_number when the bridge runs.
  let inForce = callerIdNumber;
  a.add('set', CONTINUE_ON_FAIL);
  legs.forEach((t, i) => {
    a.add(
      'set',
      i === 0
        ? `${TRUNK_ATTEMPTS_VAR}=${t.gateway}`
        : `${TRUNK_ATTEMPTS_VAR}=\${${TRUNK_ATTEMPTS_VAR}}:\${originate_disposition},${t.gateway}`,
    );
    if (t.callerId !== inForce) a.add('set', `effective_caller_id_number=${(inForce = t.callerId)}`);
    a.add('bridge', `sofia/gateway/${t.gateway}/${t.dial}`);
  });
  a.add('set', `${TRUNK_ATTEMPTS_VAR}=\${${TRUNK_ATTEMPTS_VAR}}:\${originate_disposition}`);
  a.add('hangup', '${originate_disposition}');
}
