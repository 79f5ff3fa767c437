// The voicemail application of the outbound socket (`pbx_app=voicemail`): thin, it parses the dialplan's
// variables, calls the domain, and drives the call. A caller may hang up at any moment: the session then ends
// quietly (what was recorded is kept), and only real failures are logged.
import { AppError, voicemailPhoneActor, type TenantContext } from '@pbx/domain';
import type { OutboundCall } from '@pbx/esl';
import type { SessionHandler } from '../outbound/dispatch.js';
import type { CallSession } from '../outbound/session.js';
import { isCallGone, VoicemailIo } from './call-io.js';
import { leaveMessage } from './deposit.js';
import type { VoicemailDeps } from './deps.js';
import { checkMailbox } from './mailbox.js';
import { voicemailVars, type VoicemailVars } from './vars.js';

export type { VoicemailDeps } from './deps.js';
export { voicemailVars, VoicemailVarsSchema, type VoicemailVars } from './vars.js';

/** The tenant as the outbound session resolved it (its snapshot's `tenant`: checked to be the one named and ACTIVE). */
export type VoicemailTenant = Pick<CallSession['tenant']['tenant'], 'id' | 'domain' | 'timeZone'>;

export async function runVoicemail(
  call: OutboundCall,
  deps: VoicemailDeps,
  vars: VoicemailVars,
  tenant: VoicemailTenant,
): Promise<void> {
  const io = new VoicemailIo(call, deps.media);
  let handedOff = false;
  try {
    const caller = { number: vars.pbx_extension ?? vars.callerIdNumber };
    const ctx: TenantContext = {
      db: deps.prisma,
      notify: deps.notify,
      tenantId: tenant.id,
      domain: tenant.domain,
      actor: voicemailPhoneActor(
        tenant.id,
        caller,
        vars.pbx_vm_action === 'leave' ? 'voicemail deposit' : 'voicemail menu',
      ),
    };
    if (vars.pbx_vm_action === 'leave') {
      const outcome = await leaveMessage(io, ctx, deps, { ...vars, pbx_vm_box_id: vars.pbx_vm_box_id ?? '' });
      handedOff = outcome === 'transferred';
    } else {
      handedOff = (await checkMailbox(io, ctx, deps, vars, tenant.timeZone)) === 'transferred';
    }
  } catch (err) {
    if (isCallGone(call, err)) return;
    if (err instanceof AppError && err.code === 'NOT_FOUND') {
      // A box the dialplan named no longer exists here (or belongs to another tenant).
      deps.log.warn({ uuid: call.uuid, tenantId: tenant.id, boxId: vars.pbx_vm_box_id }, err.message);
    } else {
      deps.log.error(
        { uuid: call.uuid, err: err instanceof Error ? err.message : String(err) },
        'voicemail failed',
      );
    }
    await io.play(['error-try-later']).catch(() => undefined);
  } finally {
    if (!handedOff && !call.hasEnded) await call.hangup().catch(() => undefined);
  }
}

/**
 * The `pbx_app=voicemail` runtime: the outbound session has read the channel's variables and resolved the tenant
 * (server.ts); only the voicemail rules are checked here. A channel without valid ones is hung up with a warning.
 */
export function voicemailHandler(deps: VoicemailDeps): SessionHandler {
  return async (call, session) => {
    let vars: VoicemailVars;
    try {
      vars = voicemailVars(session.vars, call.channel);
    } catch (err) {
      deps.log.warn(
        { uuid: call.uuid, err: err instanceof Error ? err.message : String(err) },
        'voicemail: bad channel variables',
      );
      if (!call.hasEnded) await call.hangup().catch(() => undefined);
      return;
    }
    await runVoicemail(call, deps, vars, session.tenant.tenant);
  };
}
