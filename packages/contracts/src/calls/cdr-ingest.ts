import { z } from 'zod';

/**
 * The body mod_json_cdr POSTs for one finished leg (`encode-values=true`):
 * `variables` values are URL-encoded strings, `callflow` is newest profile
 * first, `callStats` holds JSON numbers. Unknown keys are kept so nothing
 * FreeSWITCH adds later breaks ingestion.
 */
export const JsonCdrCallerProfileSchema = z
  .object({
    caller_id_name: z.string().optional(),
    caller_id_number: z.string().optional(),
    destination_number: z.string().optional(),
    uuid: z.string().optional(),
    context: z.string().optional(),
    chan_name: z.string().optional(),
  })
  .loose();

export const JsonCdrBodySchema = z
  .object({
    'core-uuid': z.string().optional(),
    switchname: z.string().optional(),
    channel_data: z.record(z.string(), z.unknown()).optional(),
    /**
     * RTP statistics per media type and direction: JSON numbers (e.g. `mos`), plus an `errorLog` array after
     * RTP flaws. The Cdr row does not use them, so they are not constrained: a stricter check would only turn
     * a good call into a rejected CDR.
     */
    callStats: z.record(z.string(), z.unknown()).optional(),
    // Checked as an object only: ~200 entries per leg, and ingestion reads just the string values it needs.
    variables: z.custom<Record<string, unknown>>(
      (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
      {
        message: 'variables must be an object',
      },
    ),
    app_log: z.unknown().optional(),
    callflow: z.array(z.object({ caller_profile: JsonCdrCallerProfileSchema.optional() }).loose()).optional(),
  })
  .loose();
export type JsonCdrBody = z.infer<typeof JsonCdrBodySchema>;

export const CallDirectionSchema = z.enum(['INBOUND', 'OUTBOUND', 'INTERNAL']);
export type CallDirectionValue = z.infer<typeof CallDirectionSchema>;
