import type { TrunkAttempt } from '@pbx/contracts';
import { parseTrunkAttempts } from './trunk-attempts.js';
import {
  classifyDirection,
  isInternalNumber,
  resolveLegTenant,
  resolveLegTenantCached,
} from '../classify.js';
import type { CallDirectionValue } from '../contracts.js';
import { InvalidCdrError, UnknownTenantError } from '../errors.js';
import type { TenantResolver } from '../tenants.js';

/** What both CDR sources (mod_json_cdr body, CHANNEL_HANGUP_COMPLETE event) provide for one leg. */
export type LegRecord = {
  callUuid: string | undefined;
  /** Decoded channel variables. */
  vars: Readonly<Record<string, string>>;
  /** The leg's current caller profile (json `callflow[0].caller_profile`, event `Caller-*`). */
  profile: {
    callerNumber?: string | undefined;
    callerName?: string | undefined;
    destination?: string | undefined;
  };
  /** Caller-profile times in µs, used only when the `*_uepoch` variables are missing. */
  profileTimesUs: {
    created?: string | undefined;
    answered?: string | undefined;
    hangup?: string | undefined;
  };
  hangupCause: string | undefined;
};

export type CdrRow = {
  tenantId: string;
  callUuid: string;
  bridgeUuid: string | null;
  direction: CallDirectionValue;
  fromNumber: string;
  fromName: string;
  toNumber: string;
  did: string | null;
  extensionNumber: string | null;
  startedAt: Date;
  answeredAt: Date | null;
  endedAt: Date;
  durationSec: number;
  billsec: number;
  hangupCause: string;
  blockedReason: string | null;
  trunkAttempts: TrunkAttempt[] | null;
};

/** Turns one leg into the Cdr row the database gets; throws InvalidCdrError / UnknownTenantError. */
export async function buildCdrRow(leg: LegRecord, resolver: TenantResolver): Promise<CdrRow> {
  const v = leg.vars;
  const callUuid = leg.callUuid ?? v.uuid;
  if (!callUuid || callUuid.length > 64) throw new InvalidCdrError('the leg has no usable call UUID');

  const startedAt = instant(v.start_uepoch, v.start_epoch, leg.profileTimesUs.created);
  const endedAt = instant(v.end_uepoch, v.end_epoch, leg.profileTimesUs.hangup);
  if (!startedAt || !endedAt) throw new InvalidCdrError(`call ${callUuid} has no start or end time`);
  const answeredAt = instant(v.answer_uepoch, v.answer_epoch, leg.profileTimesUs.answered);

  const fromNumber =
    v.pbx_caller_number ?? leg.profile.callerNumber ?? v.caller_id_number ?? v.sip_from_user ?? '';
  const fromName = leg.profile.callerName ?? v.caller_id_name ?? '';
  const toNumber = v.pbx_callee ?? leg.profile.destination ?? v.destination_number ?? v.sip_req_user ?? '';
  const direction = classifyDirection(v, fromNumber, toNumber);

  const options = { did: direction === 'INBOUND' ? toNumber : undefined };
  // A cached tenant is found without a turn of the event loop per lookup.
  const { tenant, hints } =
    resolveLegTenantCached(resolver, v, options) ?? (await resolveLegTenant(resolver, v, options));
  if (!tenant) throw new UnknownTenantError(callUuid, hints);

  // FreeSWITCH's duration/billsec are differences of whole-second epochs; keep its numbers when present.
  const durationSec = int(v.duration) ?? wholeSeconds(startedAt, endedAt);
  const billsec = int(v.billsec) ?? (answeredAt ? wholeSeconds(answeredAt, endedAt) : 0);
  const didCandidate = v.pbx_did ?? (direction === 'INBOUND' ? toNumber : undefined);
  const extCandidate =
    v.pbx_extension ??
    v.user_name ??
    v.dialed_user ??
    (direction === 'INBOUND' && isInternalNumber(toNumber) ? toNumber : undefined);

  const hangupCause = (v.hangup_cause ?? leg.hangupCause ?? 'UNKNOWN').slice(0, 64);
  const bridgeUuid = fit(v.bridge_uuid ?? v.last_bridge_to, 64);
  return {
    tenantId: tenant.id,
    callUuid,
    bridgeUuid,
    direction,
    fromNumber: fromNumber.slice(0, 64),
    fromName: fromName.slice(0, 80),
    toNumber: toNumber.slice(0, 64),
    did: didCandidate && /^\+?\d{1,15}$/.test(didCandidate) ? didCandidate : null,
    extensionNumber: extCandidate && isInternalNumber(extCandidate) ? extCandidate : null,
    startedAt,
    answeredAt,
    endedAt,
    durationSec: Math.max(0, durationSec),
    billsec: Math.max(0, billsec),
    hangupCause,
    blockedReason: fit(v.pbx_blocked_reason, 64),
    trunkAttempts: parseTrunkAttempts(v.pbx_trunk_attempts, { hangupCause, bridged: bridgeUuid !== null }),
  };
}

function int(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * µs epoch first (precise), then s epoch, then the caller-profile µs time.
 * 0 means "never happened"; when FreeSWITCH gave the variable at all, it is
 * authoritative and the profile time is not consulted.
 */
function instant(
  uepoch: string | undefined,
  epoch: string | undefined,
  profileUs: string | undefined,
): Date | null {
  const us = int(uepoch);
  if (us !== undefined) return us > 0 ? new Date(Math.floor(us / 1000)) : null;
  const s = int(epoch);
  if (s !== undefined) return s > 0 ? new Date(s * 1000) : null;
  const pus = int(profileUs);
  return pus !== undefined && pus > 0 ? new Date(Math.floor(pus / 1000)) : null;
}

function wholeSeconds(from: Date, to: Date): number {
  return Math.floor(to.getTime() / 1000) - Math.floor(from.getTime() / 1000);
}

function fit(value: string | undefined, max: number): string | null {
  return value && value.length <= max ? value : null;
}
