import type { Db } from '@pbx/db';
import { JsonCdrBodySchema } from '../contracts.js';
import { InvalidCdrError } from '../errors.js';
import { channelVariables, eventName, fsUrlDecode, header, type EslHeaders } from '../event.js';
import { createTenantResolver, type TenantResolver } from '../tenants.js';
import { buildCdrRow, type CdrRow, type LegRecord } from './build.js';
import { writeCdr, type CdrWriteResult } from './store.js';
import type { CdrWriter } from './writer.js';

export type IngestCdrDeps = {
  prisma: Db;
  /** Share one (caching) resolver per process; a fresh uncached one is made otherwise. */
  tenants?: TenantResolver;
  /** Batch the row with others (one per process); without it the row is its own statement. */
  writer?: CdrWriter;
};

function write(deps: IngestCdrDeps, row: CdrRow): Promise<CdrWriteResult> {
  return deps.writer ? deps.writer.write(row) : writeCdr(deps.prisma, row);
}

/**
 * One mod_json_cdr POST (its JSON body, parsed or as text) → one Cdr row.
 * Resolves once the row is committed (answer 200 then); rejects with
 * InvalidCdrError (answer 400) or UnknownTenantError (answer 4xx, so
 * FreeSWITCH keeps the CDR in its error-log dir).
 */
export async function ingestJsonCdr(deps: IngestCdrDeps & { body: unknown }): Promise<CdrWriteResult> {
  return write(
    deps,
    await buildCdrRow(
      legFromJsonCdr(deps.body),
      deps.tenants ?? createTenantResolver(deps.prisma, { ttlMs: 0 }),
    ),
  );
}

/** The same row from a CHANNEL_HANGUP_COMPLETE event (headers already URL-decoded). */
export async function ingestCdrFromEvent(
  deps: IngestCdrDeps & { event: EslHeaders },
): Promise<CdrWriteResult> {
  return write(
    deps,
    await buildCdrRow(
      legFromHangupEvent(deps.event),
      deps.tenants ?? createTenantResolver(deps.prisma, { ttlMs: 0 }),
    ),
  );
}

export function legFromJsonCdr(body: unknown): LegRecord {
  let data = body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      data = JSON.parse(body.toString()) as unknown;
    } catch {
      throw new InvalidCdrError('the CDR body is not JSON');
    }
  }
  const parsed = JsonCdrBodySchema.safeParse(data);
  if (!parsed.success)
    throw new InvalidCdrError(`the CDR body has an unexpected shape: ${parsed.error.message}`);
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed.data.variables))
    if (typeof v === 'string') vars[k] = fsUrlDecode(v);
  // callflow is newest first: its first profile is the one the channel ended with, as Caller-* on the event.
  const profile = parsed.data.callflow?.[0]?.caller_profile;
  const times = parsed.data.callflow?.[0]?.times as Record<string, unknown> | undefined;
  return {
    callUuid: vars.uuid ?? profile?.uuid,
    vars,
    profile: {
      callerNumber: nonEmpty(profile?.caller_id_number),
      callerName: nonEmpty(profile?.caller_id_name),
      destination: nonEmpty(profile?.destination_number),
    },
    profileTimesUs: {
      created: str(times?.created_time),
      answered: str(times?.answered_time),
      hangup: str(times?.hangup_time),
    },
    hangupCause: undefined,
  };
}

export function legFromHangupEvent(event: EslHeaders): LegRecord {
  const name = eventName(event);
  if (name !== 'CHANNEL_HANGUP_COMPLETE')
    throw new InvalidCdrError(`expected CHANNEL_HANGUP_COMPLETE, got ${name ?? 'no Event-Name'}`);
  return {
    callUuid: header(event, 'Unique-ID'),
    vars: channelVariables(event),
    profile: {
      callerNumber: header(event, 'Caller-Caller-ID-Number'),
      callerName: header(event, 'Caller-Caller-ID-Name'),
      destination: header(event, 'Caller-Destination-Number'),
    },
    profileTimesUs: {
      created: header(event, 'Caller-Channel-Created-Time'),
      answered: header(event, 'Caller-Channel-Answered-Time'),
      hangup: header(event, 'Caller-Channel-Hangup-Time'),
    },
    hangupCause: header(event, 'Hangup-Cause'),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
