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

/**
 * Decodes FreeSWITCH's URL encoding (%XX, uppercase hex, `+` never meaning
 * space). Never throws: a byte sequence that is not UTF-8 (a Latin-1 caller
 * name arrives as `%E9`) decodes to U+FFFD instead of crashing ingestion.
 */
export function fsUrlDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value); // fast path: well-formed UTF-8 escapes (`+` stays `+`, as FreeSWITCH means)
  } catch {
    return slowDecode(value);
  }
}

function slowDecode(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (
      c === 0x25 &&
      i + 2 < value.length &&
      isHex(value.charCodeAt(i + 1)) &&
      isHex(value.charCodeAt(i + 2))
    ) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      bytes.push(...Buffer.from(value[i] ?? '', 'utf8'));
    }
  }
  return UTF8.decode(Uint8Array.from(bytes));
}

const UTF8 = new TextDecoder('utf-8', { fatal: false });

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
