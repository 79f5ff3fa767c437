// `bridge user/<user>@<domain>`: a B leg to a registered phone, which answers after timing.bridgeAnswerMs;
// the bridge lasts until either leg hangs up.
import { sleep, type AppHandler } from './types.js';

export const bridge: AppHandler = async (rt, req, signal) => {
  const m = /^user\/([^@]+)@(.+)$/.exec(req.data.trim());
  const reg = m ? rt.sw.findRegistration(m[1] ?? '', m[2] ?? '') : undefined;
  if (!m || !reg) {
    rt.ch.vars.set('originate_disposition', 'USER_NOT_REGISTERED');
    rt.ch.vars.set('current_application_response', undefined);
    return;
  }
  const b = rt.newLeg({
    direction: 'outbound',
    username: rt.ch.profile.username,
    callerIdName: rt.ch.vars.get('effective_caller_id_name') ?? rt.ch.profile.callerIdName,
    callerIdNumber: rt.ch.vars.get('effective_caller_id_number') ?? rt.ch.profile.callerIdNumber,
    origCallerIdName: rt.ch.profile.callerIdName,
    calleeIdName: 'Outbound Call',
    calleeIdNumber: reg.user,
    networkAddr: reg.networkIp,
    destinationNumber: reg.user,
    context: rt.ch.profile.context,
    channelName: `sofia/${reg.profile}/${reg.user}@${reg.contactHost}:${reg.contactPort}`,
  });
  b.ch.hitDialplan = false;
  b.ch.callUuid = rt.ch.uuid;
  b.ch.vars.set('direction', 'outbound');
  b.ch.vars.set('is_outbound', 'true');
  b.ch.vars.set('uuid', b.uuid);
  b.ch.vars.set('session_id', String(rt.sw.nextSessionId()));
  b.ch.vars.set('channel_name', b.ch.profile.channelName);
  b.ch.vars.set('originator', rt.ch.uuid);
  b.ch.vars.set('dialed_user', reg.user);
  b.ch.vars.set('dialed_domain', reg.domain);
  b.ch.otherLeg = { type: 'originator', channel: rt.ch };
  rt.ch.otherLeg = { type: 'originatee', channel: b.ch };
  rt.ch.profile = { ...rt.ch.profile, calleeIdName: 'Outbound Call', calleeIdNumber: reg.user };
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
};
