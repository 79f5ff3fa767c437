// What one outbound-socket session knows about its call: the variables our own dialplan set, checked, and the
// tenant they name. Nothing else on the channel (caller ID, SIP headers, domain_name…) is trusted.
import type { OutboundCall } from '@pbx/esl';
import { ringOutcome, type TenantSnapshot } from '@pbx/domain/routing';
import type { MediaLayout } from '@pbx/media';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { CAUSE_RE } from '../text.js';

/** The channel variables the dialplan sets before `socket` (dialplan.ts renderActions). */
export const SessionVarsSchema = z.object({
  pbx_tenant_id: z.uuid(),
  pbx_app: z.string().regex(/^[a-z_]{1,32}$/),
  pbx_ivr_menu_id: z.uuid().optional(),
  pbx_vm_action: z.enum(['leave', 'check', 'check_any']).optional(),
  pbx_vm_box_id: z.uuid().optional(),
  pbx_vm_box: z
    .string()
    .regex(/^\d{1,8}$/)
    .optional(),
  /**
   * Why the call reached the box (busy → the busy greeting); absent when the dialplan did not say. After a ring that
   * failed inline (RingStep.onFail) it is FreeSWITCH's originate_disposition, read as ringOutcome() does.
   */
  pbx_vm_reason: z
    .union([z.enum(['busy', 'unavailable']), z.string().regex(CAUSE_RE).transform(ringOutcome)])
    .optional(),
  /** Set by the voicemail runtime when it sent a caller on from a full box: a second full box ends the call. */
  pbx_vm_fallback: z.literal('taken').optional(),
  /** The calling extension (set by the routing engine for internal calls). */
  pbx_extension: z
    .string()
    .regex(/^\d{1,8}$/)
    .optional(),
});
export type SessionVars = z.infer<typeof SessionVarsSchema>;

const NAMES = Object.keys(SessionVarsSchema.shape) as (keyof SessionVars)[];

/** Reads exactly the variables above from the channel data; null when they are missing or malformed. */
export function readSessionVars(call: OutboundCall): SessionVars | null {
  const raw: Record<string, string> = {};
  for (const name of NAMES) {
    const v = call.channel.rawHeaders.variable(name);
    if (v !== undefined && v !== '') raw[name] = v;
  }
  const parsed = SessionVarsSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** Handed to every session handler. */
export type CallSession = {
  vars: SessionVars;
  /** The tenant named by `pbx_tenant_id` (checked: its id, and ACTIVE). */
  tenant: TenantSnapshot;
  media: MediaLayout;
  log: FastifyBaseLogger;
  /** Aborted when the controller stops: finish the current step, do not start another round of prompts. */
  draining: AbortSignal;
};
