import { z } from 'zod';

/** One SIP registration (one device of one extension) as the controller keeps it in Redis. */
export const RegistrationSchema = z.object({
  /** The FreeSWITCH node that holds the registration (its switchname). */
  nodeId: z.string().min(1),
  tenantId: z.uuid(),
  domain: z.string(),
  extension: z.string(),
  /** SIP Call-ID of the REGISTER dialog: unique per device registration. */
  callId: z.string().min(1),
  /** Contact URI, e.g. `sip:1001@192.0.2.10:5060`. */
  contact: z.string(),
  userAgent: z.string(),
  networkIp: z.string(),
  networkPort: z.number().int().min(0).max(65535),
  profile: z.string(),
  /** Epoch seconds. */
  registeredAt: z.number().int(),
  /** Epoch seconds after which FreeSWITCH drops it (Expires + its late margin). */
  expiresAt: z.number().int(),
});
export type Registration = z.infer<typeof RegistrationSchema>;
