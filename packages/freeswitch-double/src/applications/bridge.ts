// `bridge <dial string>` (dial-string.ts parses it as switch_ivr_originate does): failover groups tried in order,
// the legs of a group originated together. A leg is `user/<user>@<domain>` (a registered phone, else
// USER_NOT_REGISTERED), `sofia/gateway/<name>/<number>` (a carrier trunk: its answer is scripted with
// `fs.trunks.failCalls`, its state with `fs.trunks.setState`) or `error/<CAUSE>` (mod_dptools' error endpoint:
// fails with that cause, DESTINATION_OUT_OF_ORDER for a name FreeSWITCH does not know). Any other endpoint is
// refused with a DialStringError. The B leg carries the leg's `{}`/`[]` variables and answers after
// timing.bridgeAnswerMs; the bridge lasts until either leg hangs up. A failed bridge follows mod_dptools.c
// audio_bridge_function (see bridgeFailed).
//
// Not modelled: the phones always answer, so `leg_timeout`, `originate_timeout`, `call_timeout` and the per-leg
// delays are only carried as variables, and a ring never ends in NO_ANSWER by itself; the first leg of a group
// that can connect is the one that answers, and the group's other legs are never created (a real FreeSWITCH rings
// them and hangs them up with LOSE_RACE); `fail_on_single_reject`, `originate_continue_on_timeout` and retries.
import {
  DialStringError,
  legVariables,
  parseDialString,
  type DialLeg,
  type DialString,
  type Vars,
} from './dial-string.js';
import { switchTrue } from './args.js';
import type { AppRuntime } from './types.js';
import { sleep, type AppHandler } from './types.js';

type Leg = {
  calleeNumber: string;
  networkAddr: string;
  channelName: string;
  vars: Vars;
};

/** What originating one leg gives: a B leg that answers, or a cause (`created`: a channel existed and hung up). */
type Attempt = { leg: Leg } | { cause: string; created: boolean };

/** src/switch_channel.c CAUSE_CHART: the names switch_channel_str2cause knows. */
const CAUSE_NAMES = new Set(
  `UNALLOCATED_NUMBER NO_ROUTE_TRANSIT_NET NO_ROUTE_DESTINATION CHANNEL_UNACCEPTABLE CALL_AWARDED_DELIVERED
  NORMAL_CLEARING USER_BUSY NO_USER_RESPONSE NO_ANSWER SUBSCRIBER_ABSENT CALL_REJECTED NUMBER_CHANGED
  REDIRECTION_TO_NEW_DESTINATION EXCHANGE_ROUTING_ERROR DESTINATION_OUT_OF_ORDER INVALID_NUMBER_FORMAT
  FACILITY_REJECTED RESPONSE_TO_STATUS_ENQUIRY NORMAL_UNSPECIFIED NORMAL_CIRCUIT_CONGESTION NETWORK_OUT_OF_ORDER
  NORMAL_TEMPORARY_FAILURE SWITCH_CONGESTION ACCESS_INFO_DISCARDED REQUESTED_CHAN_UNAVAIL PRE_EMPTED
  FACILITY_NOT_SUBSCRIBED OUTGOING_CALL_BARRED INCOMING_CALL_BARRED BEARERCAPABILITY_NOTAUTH
  BEARERCAPABILITY_NOTAVAIL SERVICE_UNAVAILABLE BEARERCAPABILITY_NOTIMPL CHAN_NOT_IMPLEMENTED
  FACILITY_NOT_IMPLEMENTED SERVICE_NOT_IMPLEMENTED INVALID_CALL_REFERENCE INCOMPATIBLE_DESTINATION
  INVALID_MSG_UNSPECIFIED MANDATORY_IE_MISSING MESSAGE_TYPE_NONEXIST WRONG_MESSAGE IE_NONEXIST INVALID_IE_CONTENTS
  WRONG_CALL_STATE RECOVERY_ON_TIMER_EXPIRE MANDATORY_IE_LENGTH_ERROR PROTOCOL_ERROR INTERWORKING ORIGINATOR_CANCEL
  CRASH SYSTEM_SHUTDOWN LOSE_RACE MANAGER_REQUEST BLIND_TRANSFER ATTENDED_TRANSFER ALLOTTED_TIMEOUT USER_CHALLENGE
  MEDIA_TIMEOUT PICKED_OFF USER_NOT_REGISTERED PROGRESS_TIMEOUT INVALID_GATEWAY GATEWAY_DOWN INVALID_URL
  INVALID_PROFILE NO_PICKUP`.split(/\s+/),
);

/** Refuses what the double cannot originate before anything is rung (no trunk failure is consumed by then). */
function checkLeg(leg: DialLeg, data: string): void {
  const ok =
    leg.endpoint === 'user' ||
    (leg.endpoint === 'sofia' && /^gateway\/[^/]+\/./.test(leg.target)) ||
    (leg.endpoint === 'error' && !/^\d/.test(leg.target) && leg.target.toUpperCase() !== 'SUCCESS');
  if (!ok)
    throw new DialStringError(
      `leg ${leg.endpoint}/${leg.target} is not modelled by the double (user/, sofia/gateway/, error/<name>): ${JSON.stringify(data)}`,
    );
}

function originate(rt: AppRuntime, leg: DialLeg, vars: Vars): Attempt {
  if (leg.endpoint === 'error') {
    // mod_dptools error_outgoing_channel: no channel, the cause its name gives (switch_channel_str2cause).
    const name = leg.target.toUpperCase();
    return { cause: CAUSE_NAMES.has(name) ? name : 'DESTINATION_OUT_OF_ORDER', created: false };
  }
  if (leg.endpoint === 'sofia') {
    const [, name = '', number = ''] = /^gateway\/([^/]+)\/(.+)$/.exec(leg.target) ?? [];
    const outcome = rt.sw.trunks.outcome(name);
    if (outcome) return outcome;
    const g = rt.sw.trunks.gateways.get(name);
    const proxy = g?.params.proxy ?? name;
    return {
      leg: {
        calleeNumber: number,
        networkAddr: proxy.replace(/:\d+$/, ''),
        channelName: `sofia/${g?.profile ?? 'external'}/${number}@${proxy}`,
        // mod_sofia sets these on a leg through a gateway (sofia_outgoing_channel).
        vars: [['sip_gateway_name', name], ['sip_profile_name', g?.profile ?? 'external'], ...vars],
      },
    };
  }
  const m = /^([^@]+)@(.+)$/.exec(leg.target);
  const reg = m ? rt.sw.findRegistration(m[1] ?? '', m[2] ?? '') : undefined;
  if (!reg) return { cause: 'USER_NOT_REGISTERED', created: false };
  return {
    leg: {
      calleeNumber: reg.user,
      networkAddr: reg.networkIp,
      channelName: `sofia/${reg.profile}/${reg.user}@${reg.contactHost}:${reg.contactPort}`,
      vars: [['dialed_user', reg.user], ['dialed_domain', reg.domain], ...vars],
    },
  };
}

/** The parsed dial string, every leg one the double can originate. */
function plan(data: string): DialString {
  try {
    const dial = parseDialString(data);
    for (const group of dial.groups) for (const leg of group) checkLeg(leg, data);
    return dial;
  } catch (err) {
    // The app queue swallows what an app throws; a dial string the double cannot model must fail the test run.
    setImmediate(() => {
      throw err;
    });
    throw err;
  }
}

export const bridge: AppHandler = async (rt, req, signal) => {
  const dial = plan(req.data);
  let cause = '';
  for (const group of dial.groups) {
    const attempts = group.map((leg) => originate(rt, leg, legVariables(dial.globals, leg)));
    const winner = attempts.find((a) => 'leg' in a);
    if (winner && 'leg' in winner) return connect(rt, signal, winner.leg);
    // switch_ivr_originate.c (switch_ivr_originate, at `done:`): the cause of the first leg that had a channel,
    // else `reason`, what the last leg's switch_core_session_outgoing_channel returned. The last group's stands.
    const failed = attempts.filter((a): a is { cause: string; created: boolean } => 'cause' in a);
    cause = (failed.find((a) => a.created) ?? failed.at(-1))?.cause ?? cause;
  }
  return bridgeFailed(rt, cause);
};

/**
 * The originate failed with `cause` (switch_ivr_originate.c sets originate_disposition to it). mod_dptools then
 * returns, so the dialplan goes on, when continue_on_fail is true or lists the cause (by name, case-insensitive),
 * or, with neither continue_on_fail nor failure_causes set, for NO_ANSWER, NO_USER_RESPONSE and
 * ORIGINATOR_CANCEL; with failure_causes set, a cause it does not list also returns. Otherwise the caller is hung
 * up with the cause. (Numeric causes in the lists are not modelled.)
 */
function bridgeFailed(rt: AppRuntime, cause: string): void {
  const v = rt.ch.vars;
  v.set('originate_disposition', cause);
  v.set('current_application_response', undefined);
  const continueOnFail = v.get('continue_on_fail');
  const failureCauses = v.get('failure_causes');
  const listed = (list: string) =>
    list.split(',').some((c) => c.trim().toUpperCase() === cause.toUpperCase());
  if (continueOnFail !== undefined || failureCauses !== undefined) {
    if (failureCauses !== undefined && !listed(failureCauses)) return;
    if (continueOnFail !== undefined && (switchTrue(continueOnFail) || listed(continueOnFail))) return;
  } else if (cause === 'NO_ANSWER' || cause === 'NO_USER_RESPONSE' || cause === 'ORIGINATOR_CANCEL') return;
  rt.beginHangup(cause);
}

async function connect(rt: AppRuntime, signal: AbortSignal, leg: Leg): Promise<void> {
  const b = rt.newLeg({
    direction: 'outbound',
    username: rt.ch.profile.username,
    callerIdName: rt.ch.vars.get('effective_caller_id_name') ?? rt.ch.profile.callerIdName,
    callerIdNumber: rt.ch.vars.get('effective_caller_id_number') ?? rt.ch.profile.callerIdNumber,
    origCallerIdName: rt.ch.profile.callerIdName,
    calleeIdName: 'Outbound Call',
    calleeIdNumber: leg.calleeNumber,
    networkAddr: leg.networkAddr,
    destinationNumber: leg.calleeNumber,
    context: rt.ch.profile.context,
    channelName: leg.channelName,
  });
  b.ch.hitDialplan = false;
  b.ch.callUuid = rt.ch.uuid;
  b.ch.vars.set('direction', 'outbound');
  b.ch.vars.set('is_outbound', 'true');
  b.ch.vars.set('uuid', b.uuid);
  b.ch.vars.set('session_id', String(rt.sw.nextSessionId()));
  b.ch.vars.set('channel_name', b.ch.profile.channelName);
  b.ch.vars.set('originator', rt.ch.uuid);
  for (const [k, val] of leg.vars) b.ch.vars.set(k, val);
  b.ch.otherLeg = { type: 'originator', channel: rt.ch };
  rt.ch.otherLeg = { type: 'originatee', channel: b.ch };
  rt.ch.profile = { ...rt.ch.profile, calleeIdName: 'Outbound Call', calleeIdNumber: leg.calleeNumber };
  b.start();
  await sleep(rt.sw.timing.bridgeAnswerMs, signal);
  if (signal.aborted || !rt.isUp) {
    b.beginHangup('ORIGINATOR_CANCEL');
    b.finishHangup();
    return;
  }
  b.answer();
  b.ch.setState('CS_EXCHANGE_MEDIA');
  rt.answer();
  rt.ch.vars.set('originate_disposition', 'call accepted');
  const now = rt.sw.factory.nowUs();
  rt.ch.times.bridged = now;
  b.ch.times.bridged = now;
  rt.ch.vars.set('bridge_uuid', b.uuid);
  b.ch.vars.set('bridge_uuid', rt.ch.uuid);
  rt.channelEvent('CHANNEL_BRIDGE', {
    before: [
      ['Bridge-A-Unique-ID', rt.uuid],
      ['Bridge-B-Unique-ID', b.uuid],
    ],
  });
  // The bridge lasts until either leg hangs up; the other leg follows.
  await Promise.race([b.done, new Promise<void>((r) => signal.addEventListener('abort', () => r()))]);
  if (b.isUp) b.beginHangup(rt.ch.hangupCause ?? 'NORMAL_CLEARING');
  rt.channelEvent('CHANNEL_UNBRIDGE', {
    before: [
      ['Bridge-A-Unique-ID', rt.uuid],
      ['Bridge-B-Unique-ID', b.uuid],
    ],
  });
  b.finishHangup();
  if (rt.isUp) rt.beginHangup(b.ch.hangupCause ?? 'NORMAL_CLEARING');
}
