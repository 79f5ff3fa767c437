import type { OutboundCall } from '@pbx/esl';
import { z } from 'zod';
import { SessionVarsSchema, type SessionVars } from '../outbound/session.js';

/**
 * What a voicemail session needs of the dialplan's variables (apps/controller/src/dialplan.ts, step `voicemail`),
 * which the outbound session has already read off the channel and checked (SessionVarsSchema): here only the
 * voicemail rules on top (an action; a box unless any box may be asked for). Nothing else on the channel is trusted
 * for a decision; the caller id is only stored and read out.
 */
export const VoicemailVarsSchema = SessionVarsSchema.pick({
  pbx_tenant_id: true,
  pbx_vm_box_id: true,
  pbx_vm_box: true,
  pbx_vm_reason: true,
  pbx_vm_fallback: true,
  pbx_extension: true,
})
  .extend({
    pbx_vm_action: z.enum(['leave', 'check', 'check_any']),
    callerIdNumber: z.string().max(64).default(''),
    callerIdName: z.string().max(80).default(''),
  })
  .refine((v) => v.pbx_vm_action === 'check_any' || v.pbx_vm_box_id !== undefined, {
    message: 'pbx_vm_box_id is required to leave or check a given box',
    path: ['pbx_vm_box_id'],
  });
export type VoicemailVars = z.infer<typeof VoicemailVarsSchema>;

/** The session's variables plus the caller id of the channel data; throws a ZodError when the voicemail ones are missing. */
export function voicemailVars(vars: SessionVars, channel: OutboundCall['channel']): VoicemailVars {
  return VoicemailVarsSchema.parse({
    ...vars,
    callerIdNumber: (channel.callerIdNumber ?? '').slice(0, 64),
    callerIdName: (channel.callerIdName ?? '').slice(0, 80),
  });
}
