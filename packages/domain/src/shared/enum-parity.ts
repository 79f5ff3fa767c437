import type {
  DestinationType as ApiDestinationType,
  GatewayTransportSchema,
  NumberFormat as ApiNumberFormat,
  OutboundPolicy as ApiOutboundPolicy,
  RecordingPolicy as ApiRecordingPolicy,
  RingStrategySchema,
  TenantStatusSchema,
} from '@pbx/contracts';
import type { $Enums } from '@pbx/db';
import type { z } from 'zod';

/**
 * The enums exist twice by necessity: in prisma/schema.prisma (the columns) and
 * as zod enums in @pbx/contracts (which may import only zod, so it cannot derive
 * from the generated client). Everything else uses the contracts' types; this
 * file does not compile when the two lists differ in either direction.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agree<T extends true> = T;

export type EnumsAgree = [
  Agree<Same<ApiDestinationType, $Enums.DestinationType>>,
  Agree<Same<ApiRecordingPolicy, $Enums.RecordingPolicy>>,
  Agree<Same<ApiOutboundPolicy, $Enums.OutboundPolicy>>,
  Agree<Same<z.infer<typeof RingStrategySchema>, $Enums.RingStrategy>>,
  Agree<Same<z.infer<typeof TenantStatusSchema>, $Enums.TenantStatus>>,
  Agree<Same<ApiNumberFormat, $Enums.NumberFormat>>,
  Agree<Same<z.infer<typeof GatewayTransportSchema>, $Enums.GatewayTransport>>,
];
