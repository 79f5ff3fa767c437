import { z } from 'zod';
import { LiveCallSchema } from './live-call.js';
import { RegistrationSchema } from './registration.js';

/** GET …/registrations and …/extensions/:id/registrations: every device registration, across nodes. */
export const RegistrationListSchema = z.object({ items: z.array(RegistrationSchema) });
export type RegistrationList = z.infer<typeof RegistrationListSchema>;

/** GET …/live-calls: the tenant's active legs. */
export const LiveCallListSchema = z.object({ items: z.array(LiveCallSchema) });
export type LiveCallList = z.infer<typeof LiveCallListSchema>;
