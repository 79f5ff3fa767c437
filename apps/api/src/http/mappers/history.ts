import type * as C from '@pbx/contracts';
import type * as Db from '@pbx/db';
import { trunkAttemptsOf } from '../trunk-attempts.js';
import { iso, isoOrNull } from './shared.js';

// Call history: recordings and call records. Rows → API shapes; secret columns (hashes) are never copied.

export const recordingDto = (r: Db.CallRecording): C.Recording => ({
  id: r.id,
  tenantId: r.tenantId,
  callUuid: r.callUuid,
  extensionId: r.extensionId,
  format: r.format,
  durationSec: r.durationSec,
  sizeBytes: r.sizeBytes,
  state: r.state,
  expiresAt: isoOrNull(r.expiresAt),
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

export const cdrDto = (c: Db.Cdr): C.Cdr => ({
  id: c.id,
  tenantId: c.tenantId,
  callUuid: c.callUuid,
  bridgeUuid: c.bridgeUuid,
  direction: c.direction,
  fromNumber: c.fromNumber,
  fromName: c.fromName,
  toNumber: c.toNumber,
  did: c.did,
  extensionNumber: c.extensionNumber,
  startedAt: iso(c.startedAt),
  answeredAt: isoOrNull(c.answeredAt),
  endedAt: iso(c.endedAt),
  durationSec: c.durationSec,
  billsec: c.billsec,
  hangupCause: c.hangupCause,
  blockedReason: c.blockedReason,
  trunkAttempts: trunkAttemptsOf(c.trunkAttempts),
  recordingId: c.recordingId,
});
