// Typed ESL events. Every frame is first reduced to a RawEslEvent (lazily decoded header block + body),
// then the headers of the event kinds a PBX controller uses become a discriminated union (zod schemas).
import { z } from 'zod';
import type { EventHeaders } from '../wire/headers.js';

export interface RawEslEvent {
  /** Event-Name, e.g. CHANNEL_CREATE or CUSTOM. */
  name: string;
  /** Event-Subclass for CUSTOM events. */
  subclass: string | undefined;
  headers: EventHeaders;
  body: string;
}

const str = z.string();
const optStr = z.string().optional();
const int = z
  .string()
  .regex(/^-?\d+$/)
  .transform((v) => Number(v));
const optInt = int.optional();
const INT_RE = /^-?\d+$/;

type FieldKind = 'str' | 'optStr' | 'int' | 'optInt';
const KINDS = new Map<unknown, FieldKind>([
  [str, 'str'],
  [optStr, 'optStr'],
  [int, 'int'],
  [optInt, 'optInt'],
]);
const validators = new WeakMap<z.ZodObject, (headers: EventHeaders) => unknown>();

/**
 * schema.parse(headers) for the header schemas below, without zod's per-field machinery on the hot path:
 * every field is one of str/optStr/int/optInt, which a loop checks and converts directly. Anything the
 * loop does not accept goes to zod itself, so a malformed event fails with zod's own error, as before.
 */
function parseHeaders<S extends z.ZodObject>(schema: S, headers: EventHeaders): z.output<S> {
  let run = validators.get(schema);
  if (!run) {
    const fields = Object.entries(schema.shape).map(([key, field]) => [key, KINDS.get(field)] as const);
    // Results are copies of a template that already has every key: an object filled by keyed stores
    // turns into a slow dictionary after ~16 properties, and every reader of these results pays for it.
    const template: Record<string, string | number | undefined> = Object.fromEntries(
      fields.map(([key]) => [key, undefined]),
    );
    run = fields.every(([, kind]) => kind !== undefined)
      ? (h) => {
          const out = { ...template };
          for (const [key, kind] of fields) {
            const v = h.get(key);
            if (v === undefined) {
              if (kind === 'str' || kind === 'int') return schema.parse(h.toRecord());
            } else if (kind === 'int' || kind === 'optInt') {
              if (!INT_RE.test(v)) return schema.parse(h.toRecord());
              out[key] = Number(v);
            } else out[key] = v;
          }
          return out;
        }
      : (h) => schema.parse(h.toRecord());
    validators.set(schema, run);
  }
  return run(headers) as z.output<S>;
}

const common = {
  'Event-Sequence': optInt,
  'Event-Date-Timestamp': optInt,
  'Core-UUID': optStr,
};

function commonOut(h: {
  'Event-Sequence'?: number | undefined;
  'Event-Date-Timestamp'?: number | undefined;
  'Core-UUID'?: string | undefined;
}) {
  return {
    sequence: h['Event-Sequence'],
    /** Event time in microseconds since the epoch. */
    timestampUs: h['Event-Date-Timestamp'],
    coreUuid: h['Core-UUID'],
  };
}

const channelHeaders = {
  ...common,
  'Unique-ID': str,
  'Channel-Name': optStr,
  'Call-Direction': optStr,
  'Answer-State': optStr,
  'Channel-State': optStr,
  'Channel-Call-UUID': optStr,
  'Caller-Caller-ID-Name': optStr,
  'Caller-Caller-ID-Number': optStr,
  'Caller-Callee-ID-Name': optStr,
  'Caller-Callee-ID-Number': optStr,
  'Caller-Destination-Number': optStr,
  'Caller-Context': optStr,
  'Caller-Network-Addr': optStr,
  'Caller-Channel-Created-Time': optInt,
  'Caller-Channel-Answered-Time': optInt,
  'Caller-Channel-Hangup-Time': optInt,
  'Caller-Channel-Bridged-Time': optInt,
  'Hangup-Cause': optStr,
  'Other-Leg-Unique-ID': optStr,
};

type ChannelHeaderIn = z.output<z.ZodObject<typeof channelHeaders>>;

/**
 * The prototype of every typed event: `headers` (the whole decoded map) and `variables` (every channel
 * variable) are getters over the event's lazily decoded header block, built on first use and cached there.
 * A channel event carries ~275 headers and most consumers read a few, so building either map per event
 * would cost more than the rest of the event's handling. Getters on a shared prototype (rather than
 * accessors defined on each object) keep typed events fast, same-shaped objects.
 */
class TypedEventBase {
  declare readonly rawHeaders: EventHeaders;
  get headers(): Readonly<Record<string, string>> {
    return this.rawHeaders.toRecord();
  }
  get variables(): Readonly<Record<string, string>> {
    return this.rawHeaders.variables();
  }
}

/** A typed event: its fields, plus `rawHeaders` and the lazy `headers`. */
function eventOf<T extends object>(fields: T, headers: EventHeaders): T & EventHeaderAccess {
  return Object.assign({ __proto__: TypedEventBase.prototype, rawHeaders: headers }, fields) as unknown as T &
    EventHeaderAccess;
}

interface ChannelVariablesAccess {
  /** Every channel variable (name without `variable_`), decoded; built on first use. */
  readonly variables: Readonly<Record<string, string>>;
}

/** One channel variable, without building the whole map. */
function variable(raw: RawEslEvent, name: string): string | undefined {
  return raw.headers.variable(name);
}

/** µs timestamps of 0 mean "never happened". */
function whenUs(v: number | undefined): number | undefined {
  return v === undefined || v === 0 ? undefined : v;
}

/**
 * A typed channel event: the channel fields, then the kind's own `extra` fields. Built as one object
 * literal with the shared prototype, so every channel event of a kind has the same fast shape.
 */
function channelEventOf<N extends string, X extends object>(
  eventName: N,
  h: ChannelHeaderIn,
  headers: EventHeaders,
  extra: X,
) {
  const base = {
    __proto__: TypedEventBase.prototype,
    rawHeaders: headers,
    eventName,
    sequence: h['Event-Sequence'],
    /** Event time in microseconds since the epoch. */
    timestampUs: h['Event-Date-Timestamp'],
    coreUuid: h['Core-UUID'],
    uniqueId: h['Unique-ID'],
    callUuid: h['Channel-Call-UUID'],
    channelName: h['Channel-Name'],
    direction: h['Call-Direction'],
    answerState: h['Answer-State'],
    channelState: h['Channel-State'],
    callerIdName: h['Caller-Caller-ID-Name'],
    callerIdNumber: h['Caller-Caller-ID-Number'],
    calleeIdName: h['Caller-Callee-ID-Name'],
    calleeIdNumber: h['Caller-Callee-ID-Number'],
    destinationNumber: h['Caller-Destination-Number'],
    context: h['Caller-Context'],
    networkAddr: h['Caller-Network-Addr'],
    createdAtUs: whenUs(h['Caller-Channel-Created-Time']),
    answeredAtUs: whenUs(h['Caller-Channel-Answered-Time']),
    hangupAtUs: whenUs(h['Caller-Channel-Hangup-Time']),
    bridgedAtUs: whenUs(h['Caller-Channel-Bridged-Time']),
    hangupCause: h['Hangup-Cause'],
    otherLegUniqueId: h['Other-Leg-Unique-ID'],
  };
  type Base = Omit<typeof base, '__proto__' | 'rawHeaders'> & EventHeaderAccess & ChannelVariablesAccess;
  return Object.assign(base as unknown as Base, extra);
}

const channelSchema = z.object(channelHeaders);

function channelEvent<N extends string>(name: N) {
  return (raw: RawEslEvent) => {
    const h = parseHeaders(channelSchema, raw.headers);
    return channelEventOf(name, h, raw.headers, {});
  };
}

const bridgeSchema = channelSchema.extend({ 'Bridge-A-Unique-ID': optStr, 'Bridge-B-Unique-ID': optStr });
const hangupCompleteSchema = channelSchema.extend({ 'Hangup-Cause': str });
const executeSchema = channelSchema.extend({
  Application: str,
  'Application-Data': optStr,
  'Application-Response': optStr,
  'Application-UUID': optStr,
});
const dtmfSchema = channelSchema.extend({
  'DTMF-Digit': str,
  'DTMF-Duration': optInt,
  'DTMF-Source': optStr,
});
const recordSchema = channelSchema.extend({ 'Record-File-Path': str, 'Record-Completion-Cause': optStr });
const bgJobSchema = z.object({
  ...common,
  'Job-UUID': str,
  'Job-Command': optStr,
  'Job-Command-Arg': optStr,
  'Job-Owner-UUID': optStr,
});
const heartbeatSchema = z.object({
  ...common,
  'Up-Time': optStr,
  'Uptime-msec': optInt,
  'FreeSWITCH-Version': optStr,
  'Session-Count': optInt,
  'Max-Sessions': optInt,
  'Event-Info': optStr,
});
const registerSchema = z.object({
  ...common,
  'profile-name': str,
  'from-user': optStr,
  'from-host': optStr,
  user: optStr,
  host: optStr,
  username: optStr,
  realm: optStr,
  contact: optStr,
  'call-id': optStr,
  expires: optInt,
  status: optStr,
  'user-agent': optStr,
  'network-ip': optStr,
  'network-port': optInt,
});
const registerFailureSchema = z.object({
  ...common,
  'profile-name': str,
  'to-user': optStr,
  'to-host': optStr,
  'network-ip': optStr,
  'network-port': optInt,
  'user-agent': optStr,
  'registration-type': optStr,
});

function parseRegistration<K extends 'register' | 'unregister' | 'expire'>(kind: K, raw: RawEslEvent) {
  const h = parseHeaders(registerSchema, raw.headers);
  return {
    eventName: 'CUSTOM' as const,
    subclass: `sofia::${kind}`,
    ...commonOut(h),
    profile: h['profile-name'],
    // sofia::register uses from-user/from-host for the AOR; sofia::expire uses user/host.
    user: h['from-user'] ?? h.user ?? h.username ?? '',
    domain: h['from-host'] ?? h.host ?? h.realm ?? '',
    username: h.username,
    realm: h.realm,
    contact: h.contact,
    callId: h['call-id'],
    expires: h.expires,
    status: h.status,
    userAgent: h['user-agent'],
    networkIp: h['network-ip'],
    networkPort: h['network-port'],
  };
}

const parsers = {
  CHANNEL_CREATE: channelEvent('CHANNEL_CREATE'),
  CHANNEL_ANSWER: channelEvent('CHANNEL_ANSWER'),
  CHANNEL_HANGUP: channelEvent('CHANNEL_HANGUP'),
  CHANNEL_BRIDGE: (raw: RawEslEvent) => {
    const h = parseHeaders(bridgeSchema, raw.headers);
    return channelEventOf('CHANNEL_BRIDGE', h, raw.headers, {
      bridgeAUniqueId: h['Bridge-A-Unique-ID'],
      bridgeBUniqueId: h['Bridge-B-Unique-ID'],
    });
  },
  CHANNEL_HANGUP_COMPLETE: (raw: RawEslEvent) => {
    const h = parseHeaders(hangupCompleteSchema, raw.headers);
    const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
    return channelEventOf('CHANNEL_HANGUP_COMPLETE', h, raw.headers, {
      hangupCause: h['Hangup-Cause'],
      durationSec: num(variable(raw, 'duration')),
      billSec: num(variable(raw, 'billsec')),
    });
  },
  CHANNEL_EXECUTE: (raw: RawEslEvent) => {
    const h = parseHeaders(executeSchema, raw.headers);
    return channelEventOf('CHANNEL_EXECUTE', h, raw.headers, {
      application: h.Application,
      applicationData: h['Application-Data'],
      applicationUuid: h['Application-UUID'],
    });
  },
  CHANNEL_EXECUTE_COMPLETE: (raw: RawEslEvent) => {
    const h = parseHeaders(executeSchema, raw.headers);
    return channelEventOf('CHANNEL_EXECUTE_COMPLETE', h, raw.headers, {
      application: h.Application,
      applicationData: h['Application-Data'],
      applicationResponse: h['Application-Response'],
      applicationUuid: h['Application-UUID'],
    });
  },
  DTMF: (raw: RawEslEvent) => {
    const h = parseHeaders(dtmfSchema, raw.headers);
    return channelEventOf('DTMF', h, raw.headers, {
      digit: h['DTMF-Digit'],
      /** In 8 kHz samples. */
      durationSamples: h['DTMF-Duration'],
      source: h['DTMF-Source'],
    });
  },
  RECORD_START: (raw: RawEslEvent) => {
    const h = parseHeaders(recordSchema, raw.headers);
    return channelEventOf('RECORD_START', h, raw.headers, { recordFilePath: h['Record-File-Path'] });
  },
  RECORD_STOP: (raw: RawEslEvent) => {
    const h = parseHeaders(recordSchema, raw.headers);
    const sec = variable(raw, 'record_seconds');
    return channelEventOf('RECORD_STOP', h, raw.headers, {
      recordFilePath: h['Record-File-Path'],
      completionCause: h['Record-Completion-Cause'],
      recordSeconds: sec !== undefined && /^\d+$/.test(sec) ? Number(sec) : undefined,
    });
  },
  BACKGROUND_JOB: (raw: RawEslEvent) => {
    const h = parseHeaders(bgJobSchema, raw.headers);
    return eventOf(
      {
        eventName: 'BACKGROUND_JOB' as const,
        ...commonOut(h),
        jobUuid: h['Job-UUID'],
        jobCommand: h['Job-Command'],
        jobCommandArg: h['Job-Command-Arg'],
        jobOwnerUuid: h['Job-Owner-UUID'],
        body: raw.body,
      },
      raw.headers,
    );
  },
  HEARTBEAT: (raw: RawEslEvent) => {
    const h = parseHeaders(heartbeatSchema, raw.headers);
    return eventOf(
      {
        eventName: 'HEARTBEAT' as const,
        ...commonOut(h),
        info: h['Event-Info'],
        upTime: h['Up-Time'],
        uptimeMs: h['Uptime-msec'],
        version: h['FreeSWITCH-Version'],
        sessionCount: h['Session-Count'],
        maxSessions: h['Max-Sessions'],
      },
      raw.headers,
    );
  },
};

function parseRegisterFailure(raw: RawEslEvent) {
  const h = parseHeaders(registerFailureSchema, raw.headers);
  return {
    eventName: 'CUSTOM' as const,
    subclass: 'sofia::register_failure' as const,
    ...commonOut(h),
    profile: h['profile-name'],
    user: h['to-user'],
    domain: h['to-host'],
    networkIp: h['network-ip'],
    networkPort: h['network-port'],
    userAgent: h['user-agent'],
    registrationType: h['registration-type'],
  };
}

type ParserMap = typeof parsers;
export type ChannelEventName = keyof ParserMap;
export type SofiaRegisterEvent = ReturnType<typeof parseRegistration<'register'>>;
export type SofiaUnregisterEvent = ReturnType<typeof parseRegistration<'unregister'>>;
export type SofiaExpireEvent = ReturnType<typeof parseRegistration<'expire'>>;
export type SofiaRegisterFailureEvent = ReturnType<typeof parseRegisterFailure>;
/**
 * What every event carries besides its typed fields, for consumers that need headers the types leave out:
 * `rawHeaders` reads single headers and variables cheaply; `headers` is the whole decoded map, built on
 * first access (a channel event has ~275 headers, so hot paths should use `rawHeaders`).
 */
export interface EventHeaderAccess {
  readonly headers: Readonly<Record<string, string>>;
  readonly rawHeaders: EventHeaders;
}

export interface OtherEslEvent extends EventHeaderAccess {
  eventName: 'OTHER';
  name: string;
  subclass: string | undefined;
  body: string;
}

type WithHeaders<T> = T extends unknown ? T & EventHeaderAccess : never;

export type TypedEslEvent = WithHeaders<
  | { [K in keyof ParserMap]: ReturnType<ParserMap[K]> }[keyof ParserMap]
  | SofiaRegisterEvent
  | SofiaUnregisterEvent
  | SofiaExpireEvent
  | SofiaRegisterFailureEvent
>;

export type EslEvent = TypedEslEvent | OtherEslEvent;
export type EslEventOf<N extends keyof ParserMap> = WithHeaders<ReturnType<ParserMap[N]>>;
export type ChannelExecuteCompleteEvent = EslEventOf<'CHANNEL_EXECUTE_COMPLETE'>;
export type BackgroundJobEvent = EslEventOf<'BACKGROUND_JOB'>;
export type DtmfEvent = EslEventOf<'DTMF'>;

export const SUPPORTED_EVENT_NAMES = Object.keys(parsers) as ChannelEventName[];
export const SOFIA_SUBCLASSES = [
  'sofia::register',
  'sofia::unregister',
  'sofia::expire',
  'sofia::register_failure',
] as const;

export class EslEventParseError extends Error {
  constructor(
    readonly raw: RawEslEvent,
    cause: unknown,
  ) {
    super(
      `cannot parse ${raw.name}${raw.subclass ? ` (${raw.subclass})` : ''}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'EslEventParseError';
  }
}

/** Turns a raw event into the typed union; unknown kinds come back as OTHER. Throws EslEventParseError on a malformed known event. */
export function toTypedEvent(raw: RawEslEvent): EslEvent {
  try {
    if (raw.name === 'CUSTOM') {
      switch (raw.subclass) {
        case 'sofia::register':
          return eventOf(parseRegistration('register', raw), raw.headers);
        case 'sofia::unregister':
          return eventOf(parseRegistration('unregister', raw), raw.headers);
        case 'sofia::expire':
          return eventOf(parseRegistration('expire', raw), raw.headers);
        case 'sofia::register_failure':
          return eventOf(parseRegisterFailure(raw), raw.headers);
      }
    } else if (Object.hasOwn(parsers, raw.name)) {
      return parsers[raw.name as keyof ParserMap](raw);
    }
  } catch (err) {
    throw new EslEventParseError(raw, err);
  }
  return eventOf(
    { eventName: 'OTHER' as const, name: raw.name, subclass: raw.subclass, body: raw.body },
    raw.headers,
  );
}

/** The channel data FreeSWITCH sends in reply to `connect` on an outbound socket. */
export function parseChannelData(raw: RawEslEvent) {
  try {
    const h = parseHeaders(channelSchema, raw.headers);
    return channelEventOf('CHANNEL_DATA', h, raw.headers, {});
  } catch (err) {
    throw new EslEventParseError(raw, err);
  }
}
export type ChannelData = ReturnType<typeof parseChannelData>;
