import { TenantSchema } from '@pbx/contracts';
import { useQuery } from '@tanstack/react-query';
import { paths, request } from '../api.js';

/** The tenant being looked at (its time zone names the schedule's clock). */
export function useTenant(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: ['tenant', tenantId],
    queryFn: () => request(TenantSchema, paths.tenant(tenantId)),
    enabled,
  });
}

/** Field names a destination may be reported under by the API or the contract. */
export const destinationFields = (f: string): string[] => [f, `${f}.type`, `${f}.value`];

/** The first message among a destination's field names. */
export const destinationError = (of: (f: string) => string | undefined, f: string) =>
  of(`${f}.value`) ?? of(`${f}.type`) ?? of(f);
