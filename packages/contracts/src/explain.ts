import { z } from 'zod';
import { Timestamp, Uuid } from './common.js';
import { GatewayNodeStateSchema } from './gateway-status.js';

/** Keys a caller presses in one IVR menu: 1 to 4 of 0-9 * #, or "" for pressing nothing (the time-out). */
export const MenuPress = z.string().regex(/^[0-9*#]{0,4}$/, 'expected up to 4 of 0-9 * #, or nothing');

/** "What happens when <from> dials <to> (at <at>), pressing <presses> in the menus it meets?" A dry run. */
export const ExplainCallBody = z.strictObject({
  /** An extension number of the tenant, or an external number for calls from outside. */
  from: z.string().min(1).max(32),
  /** What is dialed: an extension, ring group or menu number, a feature code, or one of the tenant's DIDs. */
  to: z.string().min(1).max(64),
  /** 'tenant' = dialed on the tenant's phones (the default); 'public' = `to` is a DID called from outside. */
  context: z.enum(['tenant', 'public']).optional(),
  /** When the call happens (time conditions); default now. */
  at: Timestamp.optional(),
  /** One entry per IVR menu met on the way, in order. */
  presses: z.array(MenuPress).max(5).optional(),
});
export type ExplainCall = z.infer<typeof ExplainCallBody>;

export const ExplainedMenuSchema = z.object({
  menuId: Uuid,
  menuName: z.string(),
  pressed: z.string(),
  /** option: a configured option; extension: direct dial; invalid / timeout: the menu's failure destination. */
  outcome: z.enum(['option', 'extension', 'invalid', 'timeout']),
  /** The route taken from the menu, as readable lines. */
  text: z.array(z.string()),
});

export const ExplainCallResultSchema = z.object({
  at: Timestamp,
  /** The route of the dialed number, as readable lines. */
  text: z.array(z.string()),
  /**
   * The trunks the dialed number would go out through, first choice first (the next is tried when one fails on the
   * network side), each with its state per FreeSWITCH node as far as known; empty when the call does not go out.
   */
  trunks: z.array(z.object({ gateway: z.string(), status: z.array(GatewayNodeStateSchema) })),
  /** Each menu the call met and where the keys led, in order. */
  menus: z.array(ExplainedMenuSchema),
});
export type ExplainCallResult = z.infer<typeof ExplainCallResultSchema>;
