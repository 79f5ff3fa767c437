import { z } from 'zod';

/**
 * Published by the API on Redis channel `${REDIS_PREFIX}:config-changed`
 * after every committed write, so controllers drop what they cached for that
 * tenant and the next REGISTER or call sees the change (no "apply" step).
 */
export const ConfigChangedSchema = z.object({
  tenantId: z.uuid(),
  /** The tenant's SIP domain, also when the change renamed it (then `previousDomain` is set). */
  domain: z.string(),
  previousDomain: z.string().optional(),
  /** What kind of object changed, e.g. "extension"; "tenant" invalidates everything of that tenant. */
  entity: z.string(),
  entityId: z.string().optional(),
  at: z.iso.datetime(),
});
export type ConfigChanged = z.infer<typeof ConfigChangedSchema>;

export const configChangedChannel = (redisPrefix: string): string => `${redisPrefix}:config-changed`;

/**
 * Published on `${REDIS_PREFIX}:voicemail-changed` whenever a box's message counts may have changed (a message
 * left, marked read/unread or deleted), so a controller sends FreeSWITCH the message-waiting indication.
 */
export const VoicemailChangedSchema = z.object({ tenantId: z.uuid(), boxId: z.uuid() });
export type VoicemailChanged = z.infer<typeof VoicemailChangedSchema>;

export const voicemailChangedChannel = (redisPrefix: string): string => `${redisPrefix}:voicemail-changed`;

/**
 * Published on `${REDIS_PREFIX}:gateways-changed` after a carrier trunk was created, changed or deleted, so every
 * controller has each FreeSWITCH node reload it (`sofia profile external killgw` / `rescan`).
 */
export const GatewaysChangedSchema = z.object({
  /** The sofia gateway name as it is now (or was, when removed). */
  gateway: z.string(),
  /** Set when the change renamed it: FreeSWITCH still knows it by this name. */
  previousGateway: z.string().optional(),
  removed: z.boolean(),
  at: z.iso.datetime(),
});
export type GatewaysChanged = z.infer<typeof GatewaysChangedSchema>;

export const gatewaysChangedChannel = (redisPrefix: string): string => `${redisPrefix}:gateways-changed`;

/**
 * What the domain tells the rest of the platform after a write commits: one message, published on the channel of
 * its kind. `config` drops the controllers' cached tenant; `voicemail` refreshes the box's message-waiting lamp;
 * `gateways` reloads a trunk in FreeSWITCH.
 */
export type Notification =
  | { kind: 'config'; change: ConfigChanged }
  | { kind: 'voicemail'; change: VoicemailChanged }
  | { kind: 'gateways'; change: GatewaysChanged };
