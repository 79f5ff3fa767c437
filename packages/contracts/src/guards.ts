import { z } from 'zod';
import { Timestamp, Uuid } from './common.js';

// The abuse guards of issue #14: blocks (a banned source address, a locked SIP user), the alerts admins read, and
// the networks a tenant trusts. The controllers keep all of it in Redis; the API reads it and lifts blocks.

/** Published after every new block and every lift, so each controller's in-process copy follows at once. */
export const guardChangedChannel = (redisPrefix: string): string => `${redisPrefix}:guard-changed`;

/** `address`: every lookup from this source address is refused; `user`: this SIP user may not authenticate. */
export const GuardBlockKindSchema = z.enum(['address', 'user']);
export type GuardBlockKind = z.infer<typeof GuardBlockKindSchema>;

export const GuardBlockSchema = z.object({
  kind: GuardBlockKindSchema,
  /** The address, or `user@domain`. */
  key: z.string(),
  /** The tenant whose user is locked; null for an address ban (addresses belong to no tenant). */
  tenantId: Uuid.nullable(),
  reason: z.string(),
  /** Authentication failures counted in the window that triggered the block. */
  failures: z.number().int().nonnegative(),
  windowSec: z.number().int().positive(),
  blockedAt: Timestamp,
  until: Timestamp,
});
export type GuardBlock = z.infer<typeof GuardBlockSchema>;
export const GuardBlockListSchema = z.object({ items: z.array(GuardBlockSchema) });

export const GuardAlertKindSchema = z.enum([
  'address_banned',
  'user_locked',
  'block_lifted',
  'fraud_blocked',
  /** An emergency call was placed (or failed for want of a trunk): Kari's Law notification. */
  'emergency_call',
  /** Repeated refused outbound attempts of one extension below the velocity rule (fraud policy). */
  'fraud_refusals',
]);
export type GuardAlertKind = z.infer<typeof GuardAlertKindSchema>;

export const GuardAlertSchema = z.object({
  id: z.string(),
  at: Timestamp,
  kind: GuardAlertKindSchema,
  tenantId: Uuid.nullable(),
  /** One line an admin reads. */
  summary: z.string(),
  /** The block or call the alert is about (address, user, destination, reason, counts). */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type GuardAlert = z.infer<typeof GuardAlertSchema>;
export const GuardAlertListSchema = z.object({ items: z.array(GuardAlertSchema) });

/** An IPv4 or IPv6 network in CIDR notation (a bare address is a /32 or /128). */
export const CidrSchema = z.union([z.cidrv4(), z.cidrv6(), z.ipv4(), z.ipv6()]);

/**
 * Networks whose failures never ban an address for this tenant's users and whose lookups for this tenant are
 * answered even while the address is banned (the office NAT, the tenant's own SBC).
 */
export const TrustedNetworksSchema = z.strictObject({ networks: z.array(CidrSchema).max(100) });
export type TrustedNetworks = z.infer<typeof TrustedNetworksSchema>;
