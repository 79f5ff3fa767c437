import { EventHeaders } from '@pbx/esl';

/**
 * An ESL event's headers, values URL-decoded: either the adapter's lazily decoded
 * block (`EventHeaders`, what the controller passes: no full map is built per
 * event) or a plain record of header name → value (tests, json events, built by
 * hand). A repeated header (Hangup-Cause on CHANNEL_HANGUP_COMPLETE) holds one of
 * its equal values. Read it only through the functions below. (Not @pbx/esl's
 * `EslEvent`, the typed, parsed event.)
 */
export type EslHeaders = EventHeaders | HeaderRecord;
export type HeaderRecord = Readonly<Record<string, string | undefined>>;

export function header(event: EslHeaders, name: string): string | undefined {
  const value = event instanceof EventHeaders ? event.get(name) : event[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Channel variables of an event (`variable_<name>` headers) as a read-only map. For the adapter's header
 * block it is a view: reading `vars.x` decodes that one variable (consumers read a few dozen of the
 * 100–250 a leg carries); enumerating it builds the whole decoded map.
 */
export function channelVariables(event: EslHeaders): Readonly<Record<string, string>> {
  if (event instanceof EventHeaders) return variablesView(event);
  const vars: Record<string, string> = {};
  for (const name in event) {
    const value = event[name];
    if (value !== undefined && name.startsWith('variable_')) vars[name.slice('variable_'.length)] = value;
  }
  return vars;
}

/** The proxy target: the header block (its own property is configurable, so the view may hide it). */
type ViewTarget = { readonly headers: EventHeaders };

// One handler for every view: closures made per event would cost more than the view saves.
const variablesHandler: ProxyHandler<ViewTarget> = {
  get: (t, name) => (typeof name === 'string' ? t.headers.variable(name) : undefined),
  has: (t, name) => typeof name === 'string' && t.headers.variable(name) !== undefined,
  ownKeys: (t) => Reflect.ownKeys(t.headers.variables()),
  getOwnPropertyDescriptor: (t, name) => {
    const value = typeof name === 'string' ? t.headers.variables()[name] : undefined;
    return value === undefined ? undefined : { value, enumerable: true, configurable: true, writable: false };
  },
  set: () => false,
  deleteProperty: () => false,
  defineProperty: () => false,
};

function variablesView(headers: EventHeaders): Readonly<Record<string, string>> {
  return new Proxy({ headers }, variablesHandler) as unknown as Readonly<Record<string, string>>;
}

/** One channel variable (`variable_<name>`), without building the whole map. */
export function channelVariable(event: EslHeaders, name: string): string | undefined {
  return event instanceof EventHeaders ? event.variable(name) : event[`variable_${name}`];
}

export function eventName(event: EslHeaders): string | undefined {
  return header(event, 'Event-Name');
}

/** `Event-Subclass` of a CUSTOM event, e.g. `sofia::register`. */
export function eventSubclass(event: EslHeaders): string | undefined {
  return header(event, 'Event-Subclass');
}

/** The FreeSWITCH node an event came from (its switchname, as `show ...` rows' `hostname`). */
export function eventNode(event: EslHeaders): string | undefined {
  return header(event, 'FreeSWITCH-Switchname') ?? header(event, 'FreeSWITCH-Hostname');
}

export { fsUrlDecode } from '@pbx/esl';
