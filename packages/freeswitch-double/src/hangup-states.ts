// The second half of a call's hang-up on the double, in FreeSWITCH's order (captures esl-outbound-conn1/conn2 and
// the event-plain-ALL stream): CS_HANGUP, RECORD_STOP of a recorded session, CS_REPORTING with the hang-up
// variables, CHANNEL_HANGUP_COMPLETE, CHANNEL_DESTROY, CS_DESTROY. The runtime (engine.ts) calls it once.
import { recordVars } from './applications/index.js';
import type { Channel, ChannelEventOptions } from './channel.js';
import { applyHangupVars } from './channel-vars.js';
import type { EventFactory } from './fs-event.js';

/** What of the call runtime the sequence uses (engine.ts's CallRuntime). */
export interface HangingUpCall {
  readonly ch: Channel;
  readonly sw: { readonly factory: EventFactory };
  channelEvent(name: string, o?: ChannelEventOptions): void;
}

export function hangupStates(
  rt: HangingUpCall,
  o: {
    /** The file of a running `record_session`, if any. */
    recordSession: string | undefined;
    lastApp: { app: string; arg: string } | undefined;
    digitsDialed: string;
    disposition: 'send_bye' | 'recv_bye';
  },
): void {
  const { ch } = rt;
  ch.setState('CS_HANGUP');
  ch.stateNumber = 10;
  rt.channelEvent('CHANNEL_STATE', { variables: false });
  ch.times.hangup = rt.sw.factory.nowUs();
  if (o.recordSession) {
    recordVars(ch, 8 * Math.max(0, Math.floor((rt.sw.factory.nowUs() - ch.times.answered) / 1000)));
    ch.vars.set('record_completion_cause', 'success-silence');
    rt.channelEvent('RECORD_STOP', {
      after: [
        ['Record-File-Path', o.recordSession],
        ['Record-Completion-Cause', 'success-silence'],
      ],
    });
  }
  ch.callState = 'HANGUP';
  ch.setState('CS_REPORTING');
  rt.channelEvent('CHANNEL_STATE', { variables: false });
  applyHangupVars(ch, o.lastApp, o.digitsDialed, o.disposition);
  rt.channelEvent('CHANNEL_HANGUP_COMPLETE', {
    before: [['Hangup-Cause', ch.hangupCause ?? 'NORMAL_CLEARING']],
  });
  ch.stateNumber = 12;
  rt.channelEvent('CHANNEL_DESTROY');
  ch.setState('CS_DESTROY');
  rt.channelEvent('CHANNEL_STATE', { variables: false });
}
