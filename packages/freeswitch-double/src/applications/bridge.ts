// `bridge user/<user>@<domain>`: a B leg to a registered phone; `bridge sofia/gateway/<name>/<number>`: a B leg
// through a carrier trunk (the carrier's answer is scripted with `fs.trunks.failCalls`, its state with
// `fs.trunks.setState`). The B leg answers after timing.bridgeAnswerMs; the bridge lasts until either leg hangs up.
// A failed bridge follows mod_dptools.c audio_bridge_function (see bridgeFailed).
import type { AppRuntime } from './types.js';
import { sleep, type AppHandler } from './types.js';

type Leg = {
  calleeNumber: string;
  networkAddr: string;
  channelName: string;
  vars: Array<[string, string]>;
};

export const bridge: AppHandler = async (rt, req, signal) => {
  const data = req.data.trim();
  const gw = /^sofia\/gateway\/([^/]+)\/(.+)$/.exec(data);
  if (gw) {
    const name = gw[1] ?? '';
    const number = gw[2] ?? '';
    const outcome = rt.sw.trunks.outcome(name);
    if (outcome) return bridgeFailed(rt, outcome.cause);
    const g = rt.sw.trunks.gateways.get(name);
    const proxy = g?.params.proxy ?? name;
    return connect(rt, signal, {
      calleeNumber: number,
      networkAddr: proxy.replace(/:\d+$/, ''),
      channelName: `sofia/${g?.profile ?? 'external'}/${number}@${proxy}`,
      // mod_sofia sets these on a leg through a gateway (sofia_outgoing_channel).
      vars: [
        ['sip_gateway_name', name],
        ['sip_profile_name', g?.profile ?? 'external'],
      ],
    });
  }
  const m = /^user\/([^@]+)@(.+)$/.exec(data);
  const reg = m ? rt.sw.findRegistration(m[1] ?? '', m[2] ?? '') : undefined;
  if (!m || !reg) return bridgeFailed(rt, 'USER_NOT_REGISTERED');
  return connect(rt, signal, {
    calleeNumber: reg.user,
    networkAddr: reg.networkIp,
    channelName: `sofia/${reg.profile}/${reg.user}@${reg.contactHost}:${reg.contactPort}`,
    vars: [
      ['dialed_user', reg.user],
      ['dialed_domain', reg.domain],
    ],
  });
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
    if (
      continueOnFail !== undefined &&
      (/^(?:true|yes|on|1)$/i.test(continueOnFail) || listed(continueOnFail))
    )
      return;
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
