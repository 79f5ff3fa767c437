import { z } from 'zod';

/**
 * The channel variables the dialplan sets before handing a call to the voicemail socket
 * (apps/controller/src/dialplan.ts, step `voicemail`). Nothing else on the channel is trusted for a decision; the
 * caller id is only stored and read out.
 */
export const VoicemailVarsSchema = z
  .object({
    pbx_tenant_id: z.uuid(),
    pbx_vm_action: z.enum(['leave', 'check', 'check_any']),
    pbx_vm_box_id: z.uuid().optional(),
    pbx_vm_box: z
      .string()
      .regex(/^\d{1,8}$/)
      .optional(),
    /** Why the call reached the box (busy → the busy greeting); absent when the dialplan did not say. */
    pbx_vm_reason: z.enum(['busy', 'unavailable']).optional(),
    /** The calling extension (set by the routing engine for internal calls). */
    pbx_extension: z
      .string()
      .regex(/^\d{1,8}$/)
      .optional(),
    callerIdNumber: z.string().max(64).default(''),
    callerIdName: z.string().max(80).default(''),
  })
  .refine((v) => v.pbx_vm_action === 'check_any' || v.pbx_vm_box_id !== undefined, {
    message: 'pbx_vm_box_id is required to leave or check a given box',
    path: ['pbx_vm_box_id'],
  });
export type VoicemailVars = z.infer<typeof VoicemailVarsSchema>;

const KEYS = [
  'pbx_tenant_id',
  'pbx_vm_action',
  'pbx_vm_box_id',
  'pbx_vm_box',
  'pbx_vm_reason',
  'pbx_extension',
];

/** Reads the voicemail variables of an outbound-socket channel; throws a ZodError when the dialplan's are missing. */
export function parseVoicemailVars(channel: {
  variables: Readonly<Record<string, string>>;
  callerIdNumber?: string | undefined;
  callerIdName?: string | undefined;
}): VoicemailVars {
  const picked: Record<string, string> = {};
  for (const k of KEYS) {
    const value = channel.variables[k];
    if (value !== undefined && value !== '') picked[k] = value;
  }
  return VoicemailVarsSchema.parse({
    ...picked,
    callerIdNumber: (channel.callerIdNumber ?? '').slice(0, 64),
    callerIdName: (channel.callerIdName ?? '').slice(0, 80),
  });
}
