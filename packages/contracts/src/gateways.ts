import { z } from 'zod';
import { PageQuery, Text, Timestamp, Uuid, pageOf } from './common.js';
import { GatewayNodeStateSchema } from './gateway-status.js';

/**
 * Carrier trunks (sofia gateways of FreeSWITCH's `external` profile). Platform admins manage them and assign them
 * to tenants in order (the first is tried first, the next on failure). The password is write-only: FreeSWITCH needs
 * it in plain text to register, so the platform stores it encrypted and the API only says whether one is set.
 */

/** sofia ignores a gateway whose name is not `^[\w.-]+$` (sofia.c, parse_gateways). */
export const GatewayName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.-]{0,63}$/,
    'expected 1-64 lower-case letters, digits, _ . - (starting with a letter or digit)',
  );

const HostName = z
  .string()
  .max(253)
  .regex(
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i,
    'expected a host name or IP address',
  );
export const GatewayHost = z.union([z.ipv4(), HostName], { message: 'expected a host name or IPv4 address' });

/** A SIP user part: letters, digits and the unreserved/user characters of RFC 3261, nothing that needs escaping. */
const SipUser = z
  .string()
  .regex(/^[\w.!~*'()&=+$,;%-]{1,128}$/, 'expected 1-128 characters allowed in a SIP user');

/** Printable characters only: a password ends up in FreeSWITCH's XML (escaped) and in digest computations. */
export const GatewayPassword = z
  .string()
  .min(1, 'must not be empty')
  .max(128)
  .refine((v) => [...v].every((c) => c >= ' ' && c !== '\u007f'), 'must not contain control characters');

export const NumberFormatSchema = z.enum(['E164', 'E164_NO_PLUS', 'NATIONAL']);
export type NumberFormat = z.infer<typeof NumberFormatSchema>;
/** No TLS: the external profile has no TLS listener, and sofia skips a TLS gateway on such a profile (sofia.c). */
export const GatewayTransportSchema = z.enum(['UDP', 'TCP']);

/** Codecs FreeSWITCH 1.10 ships (mod_spandsp, mod_opus, mod_g723_1 ...); an allow-list keeps them out of injections. */
export const CodecSchema = z.enum(['PCMU', 'PCMA', 'G722', 'G729', 'OPUS', 'GSM', 'iLBC', 'AMR', 'AMR-WB']);

export const GatewaySchema = z.object({
  id: Uuid,
  name: z.string(),
  description: z.string(),
  /** null: a platform trunk any tenant may be assigned; set: dedicated to this tenant. */
  tenantId: Uuid.nullable(),
  enabled: z.boolean(),
  register: z.boolean(),
  host: z.string(),
  port: z.number().int().nullable(),
  transport: GatewayTransportSchema,
  realm: z.string().nullable(),
  fromDomain: z.string().nullable(),
  username: z.string().nullable(),
  /** Whether a password is stored; the password itself is never returned. */
  hasPassword: z.boolean(),
  numberFormat: NumberFormatSchema,
  callerIdFormat: NumberFormatSchema,
  prefix: z.string(),
  codecs: z.array(z.string()),
  expireSeconds: z.number().int(),
  retrySeconds: z.number().int(),
  pingSeconds: z.number().int().nullable(),
  locationHeader: z.string().nullable(),
  emergencyFallback: z.boolean(),
  /** How many tenants use it. */
  tenantCount: z.number().int(),
  /** Its state on each FreeSWITCH node that has it, as the controllers last saw it (empty: no node reported it). */
  status: z.array(GatewayNodeStateSchema),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Gateway = z.infer<typeof GatewaySchema>;

const GatewayFields = {
  description: Text(200).optional(),
  tenantId: Uuid.nullable().optional(),
  enabled: z.boolean().optional(),
  /** true: FreeSWITCH registers with username and password; false: the carrier authenticates by source IP. */
  register: z.boolean().optional(),
  port: z.number().int().min(1).max(65_535).nullable().optional(),
  transport: GatewayTransportSchema.optional(),
  realm: GatewayHost.nullable().optional(),
  fromDomain: GatewayHost.nullable().optional(),
  username: SipUser.nullable().optional(),
  numberFormat: NumberFormatSchema.optional(),
  callerIdFormat: NumberFormatSchema.optional(),
  prefix: z
    .string()
    .regex(/^[0-9*#]{0,16}$/, 'expected up to 16 digits, * or #')
    .optional(),
  codecs: z
    .array(CodecSchema)
    .max(8)
    .refine((c) => new Set(c).size === c.length, 'must not repeat a codec')
    .optional(),
  /** sofia replaces values below 5 (sofia.c, parse_gateways). */
  expireSeconds: z.number().int().min(60).max(86_400).optional(),
  retrySeconds: z.number().int().min(5).max(3_600).optional(),
  pingSeconds: z.number().int().min(5).max(3_600).nullable().optional(),
  /** The SIP header (X-… or P-…) the carrier reads an emergency call's location identifier from; null: none. */
  locationHeader: z
    .string()
    .regex(/^[XP]-[A-Za-z0-9-]{1,60}$/, 'expected a header name starting X- or P-')
    .nullable()
    .optional(),
  /** The platform's emergency trunk: carries emergency calls of tenants without an enabled trunk (not dedicated ones). */
  emergencyFallback: z.boolean().optional(),
};

export const CreateGatewayBody = z.strictObject({
  name: GatewayName,
  host: GatewayHost,
  password: GatewayPassword.optional(),
  ...GatewayFields,
});
export type CreateGateway = z.infer<typeof CreateGatewayBody>;

export const UpdateGatewayBody = z.strictObject({
  name: GatewayName.optional(),
  host: GatewayHost.optional(),
  /** null removes the stored password. */
  password: GatewayPassword.nullable().optional(),
  ...GatewayFields,
});
export type UpdateGateway = z.infer<typeof UpdateGatewayBody>;

export const ListGatewaysQuery = PageQuery;
export const GatewayPage = pageOf(GatewaySchema);

/** A trunk as a tenant sees it: which, in what order. */
export const TenantTrunkSchema = z.object({
  gatewayId: Uuid,
  name: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  position: z.number().int(),
});
export type TenantTrunk = z.infer<typeof TenantTrunkSchema>;
export const TenantTrunkList = z.object({ items: z.array(TenantTrunkSchema) });

/** Replaces the tenant's trunks: the first is tried first, the next when it fails. */
export const SetTenantTrunksBody = z.strictObject({
  gatewayIds: z
    .array(Uuid)
    .max(5)
    .refine((ids) => new Set(ids).size === ids.length, 'must not list a gateway twice'),
});
export type SetTenantTrunks = z.infer<typeof SetTenantTrunksBody>;
