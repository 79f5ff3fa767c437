// Typed channel events: the channel fields every CHANNEL_* / DTMF / RECORD_* event shares, on a shared
// prototype whose getters decode the whole header map only when asked.
import { z } from 'zod';
import type { EventHeaders } from '../wire/headers.js';
import { common, optInt, optStr, parseHeaders, str, type RawEslEvent } from './event-fields.js';

/**
 * What every event carries besides its typed fields, for consumers that need headers the types leave out:
 * `rawHeaders` reads single headers and variables cheaply; `headers` is the whole decoded map, built on
 * first access (a channel event has ~275 headers, so hot paths should use `rawHeaders`).
 */
export interface EventHeaderAccess {
  readonly headers: Readonly<Record<string, string>>;
  readonly rawHeaders: EventHeaders;
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
export function eventOf<T extends object>(fields: T, headers: EventHeaders): T & EventHeaderAccess {
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
export function channelEventOf<N extends string, X extends object>(
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

export const channelSchema = z.object(channelHeaders);

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
export const channelParsers = {
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
};
