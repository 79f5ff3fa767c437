/**
 * An ESL event as the adapter hands it over: header name → value, values
 * already URL-decoded (what modesl's `event.headers` carry). A repeated header
 * (Hangup-Cause on CHANNEL_HANGUP_COMPLETE) holds one of its equal values.
 */
export type EslEvent = Readonly<Record<string, string | undefined>>;

export function header(event: EslEvent, name: string): string | undefined {
  const value = event[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Channel variables of an event (`variable_<name>` headers) as a plain map. */
export function channelVariables(event: EslEvent): Record<string, string> {
  const vars: Record<string, string> = {};
  // for-in, not Object.entries: a channel event has ~250 headers and this runs for every leg.
  for (const name in event) {
    const value = event[name];
    if (value !== undefined && name.startsWith('variable_')) vars[name.slice('variable_'.length)] = value;
  }
  return vars;
}

export function eventName(event: EslEvent): string | undefined {
  return header(event, 'Event-Name');
}

/** `Event-Subclass` of a CUSTOM event, e.g. `sofia::register`. */
export function eventSubclass(event: EslEvent): string | undefined {
  return header(event, 'Event-Subclass');
}

/** The FreeSWITCH node an event came from (its switchname, as `show ...` rows' `hostname`). */
export function eventNode(event: EslEvent): string | undefined {
  return header(event, 'FreeSWITCH-Switchname') ?? header(event, 'FreeSWITCH-Hostname');
}

export { fsUrlDecode } from '@pbx/esl';
