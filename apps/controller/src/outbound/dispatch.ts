// Which runtime serves a call, by the `pbx_app` variable the dialplan set.
//
// To add a runtime (e.g. voicemail, `apps/controller/src/voicemail/`): write a SessionHandler and add it to the
// table `buildController` passes to `startOutboundServer` (app.ts, `outboundHandlers`), keyed by the `pbx_app`
// value dialplan.ts sets (`voicemail`). A handler owns the call until it returns: it must leave the call
// transferred, hung up or finished; the socket is closed after it returns (if the call is still up, FreeSWITCH
// moves on to the dialplan's next action, which is `hangup`). It may throw once the caller hung up: that ends the
// session quietly. A `pbx_app` with no handler is answered with the spoken error prompt and hung up.
import type { OutboundCall } from '@pbx/esl';
import type { CallSession } from './session.js';

export type SessionHandler = (call: OutboundCall, ctx: CallSession) => Promise<void>;
export type SessionHandlers = Readonly<Partial<Record<string, SessionHandler>>>;

/** The caller hears "sorry, we cannot take your call right now", then the call ends; never silence. */
export async function refuseCall(call: OutboundCall, ctx: Pick<CallSession, 'media'>): Promise<void> {
  if (call.hasEnded) return;
  await call.answer();
  await call.playback(ctx.media.prompt('error-try-later'));
  if (!call.hasEnded) await call.hangup('NORMAL_CLEARING');
}

export async function dispatchSession(
  handlers: SessionHandlers,
  call: OutboundCall,
  ctx: CallSession,
): Promise<void> {
  const handler = handlers[ctx.vars.pbx_app];
  if (!handler) {
    ctx.log.warn({ app: ctx.vars.pbx_app }, 'outbound session: no runtime for this pbx_app');
    return refuseCall(call, ctx);
  }
  await handler(call, ctx);
}
