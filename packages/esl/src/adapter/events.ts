// Typed ESL events. Every frame is first reduced to a RawEslEvent (lazily decoded header block + body),
// then the headers of the event kinds a PBX controller uses become a discriminated union (zod schemas):
// channel events (channel-events.ts), sofia registration events (sofia-events.ts) and the ones below.
import { z } from 'zod';
import {
  channelEventOf,
  channelParsers,
  channelSchema,
  eventOf,
  type EventHeaderAccess,
} from './channel-events.js';
import { common, commonOut, optInt, optStr, parseHeaders, str, type RawEslEvent } from './event-fields.js';
import {
  parseRegisterFailure,
  parseRegistration,
  type SofiaExpireEvent,
  type SofiaRegisterEvent,
  type SofiaRegisterFailureEvent,
  type SofiaUnregisterEvent,
} from './sofia-events.js';

export type { EventHeaderAccess } from './channel-events.js';
export type { RawEslEvent } from './event-fields.js';
export {
  SOFIA_SUBCLASSES,
  type SofiaExpireEvent,
  type SofiaRegisterEvent,
  type SofiaRegisterFailureEvent,
  type SofiaUnregisterEvent,
} from './sofia-events.js';

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
const parsers = {
  ...channelParsers,
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

type ParserMap = typeof parsers;
export type ChannelEventName = keyof ParserMap;
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
