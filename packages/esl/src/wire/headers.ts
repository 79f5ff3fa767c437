// The header block of one text/event-plain event, decoded lazily. A channel event carries ~100
// headers of its own and ~150–250 `variable_*` headers; building a 275-key object per event (what
// modesl does) costs more than everything else a controller does with the event, and consumers read
// a few dozen of them. So one scan indexes the non-variable headers (raw values), the variable block
// is only located, and values are URL-decoded when read.
import { fsUrlDecode } from './urlencode.js';

const VARIABLE = 'variable_';
const EVENT_NAME = 'Event-Name: ';

export class EventHeaders {
  /**
   * Non-variable headers: name → raw (still URL-encoded) value; the last of a repeated header wins, as in
   * modesl. Built by the first read that needs it: an event nobody reads (most CHANNEL_EXECUTE_COMPLETEs
   * a controller receives) is never indexed.
   */
  private index: Map<string, string> | undefined;
  /** The frame text; the header block is text[0, end). Not copied: slicing it would cost a copy per event. */
  private readonly text: string;
  private readonly end: number;
  /** [start, end) of the run(s) of `variable_` lines in `text`; start = end = -1 when there are none. */
  private varStart = -1;
  private varEnd = -1;
  /** Values in `fields` are already decoded (fromRecord). */
  private readonly decoded: boolean;
  private variableMap: Record<string, string> | undefined;
  private varIndex: Map<string, string> | undefined;
  private record: Record<string, string> | undefined;

  private constructor(
    text: string,
    end: number,
    index?: Map<string, string>,
    record?: Record<string, string>,
  ) {
    this.text = text;
    this.end = end;
    this.index = index;
    this.record = record;
    this.decoded = record !== undefined;
    this.variableMap = undefined;
  }

  /** A plain header block: text[0, end) holds `Name: url-encoded value` lines, no trailing blank line. */
  static parse(text: string, end = text.length): EventHeaders {
    return new EventHeaders(text, end);
  }

  /**
   * One scan: the non-variable headers go into the index (values still encoded); lines that start with
   * `variable_` are only located. FreeSWITCH writes a channel's variables in one run
   * (switch_channel_event_set_extended_data) between the channel headers and the ones the event adds
   * itself; every line's prefix is still checked, so a header among the variables would be indexed too.
   */
  private fields(): Map<string, string> {
    if (this.index) return this.index;
    const text = this.text;
    const end = this.end;
    const fields = new Map<string, string>();
    let s = 0;
    while (s < end) {
      let nl = text.indexOf('\n', s);
      if (nl === -1 || nl > end) nl = end;
      if (isVariableLine(text, s)) {
        if (this.varStart === -1) this.varStart = s;
        this.varEnd = nl;
        s = nl + 1;
        continue;
      }
      const colon = text.indexOf(': ', s);
      if (colon !== -1 && colon < nl) fields.set(text.slice(s, colon), text.slice(colon + 2, nl));
      else if (nl > s) fields.set(text.slice(s, nl), '');
      s = nl + 1;
    }
    this.index = fields;
    return fields;
  }

  /**
   * Event-Name without indexing the block: FreeSWITCH always writes it first. Anything else (a
   * hand-written frame) falls back to the index.
   */
  eventName(): string | undefined {
    if (!this.index && !this.record && this.text.startsWith(EVENT_NAME, 0)) {
      let nl = this.text.indexOf('\n', EVENT_NAME.length);
      if (nl === -1 || nl > this.end) nl = this.end;
      return fsUrlDecode(this.text.slice(EVENT_NAME.length, nl));
    }
    return this.get('Event-Name');
  }

  /** Headers that are already decoded (json events, tests, a record built elsewhere). */
  static fromRecord(record: Readonly<Record<string, string>>): EventHeaders {
    const fields = new Map<string, string>();
    for (const name of Object.keys(record))
      if (!name.startsWith(VARIABLE)) fields.set(name, record[name] ?? '');
    // Variables are looked up in the record itself (see variable()); there is no text to scan.
    return new EventHeaders('', 0, fields, { ...record });
  }

  /** A header's decoded value; `variable_x` names work too. */
  get(name: string): string | undefined {
    if (name.startsWith(VARIABLE)) return this.variable(name.slice(VARIABLE.length));
    const raw = this.fields().get(name);
    if (raw === undefined) return undefined;
    return this.decoded ? raw : decode(raw);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /**
   * Variable name (without `variable_`) → raw value, from one pass over the variable lines, made on the
   * first variable read: a consumer reads a dozen or more of them, each then a map lookup.
   */
  private variableIndex(): Map<string, string> {
    if (this.varIndex) return this.varIndex;
    this.fields(); // locates the variable lines
    const index = new Map<string, string>();
    const text = this.text;
    let s = this.varStart;
    while (s !== -1 && s < this.varEnd) {
      let nl = text.indexOf('\n', s);
      if (nl === -1 || nl > this.varEnd) nl = this.varEnd;
      if (isVariableLine(text, s)) {
        const colon = text.indexOf(': ', s);
        if (colon !== -1 && colon < nl)
          index.set(text.slice(s + VARIABLE.length, colon), text.slice(colon + 2, nl));
        else index.set(text.slice(s + VARIABLE.length, nl), '');
      }
      s = nl + 1;
    }
    this.varIndex = index;
    return index;
  }

  /** One channel variable (the `variable_<name>` header), decoded; the last of a repeated one. */
  variable(name: string): string | undefined {
    if (this.record) return this.record[VARIABLE + name];
    const raw = this.variableIndex().get(name);
    return raw === undefined ? undefined : decode(raw);
  }

  /** Every channel variable, name without the `variable_` prefix → decoded value (built once). */
  variables(): Readonly<Record<string, string>> {
    if (this.variableMap) return this.variableMap;
    const vars: Record<string, string> = {};
    if (this.record) {
      for (const name of Object.keys(this.record))
        if (name.startsWith(VARIABLE)) vars[name.slice(VARIABLE.length)] = this.record[name] ?? '';
    } else {
      for (const [name, raw] of this.variableIndex()) vars[detach(name)] = decode(raw);
    }
    this.variableMap = vars;
    return vars;
  }

  /** Every header, decoded, in the order FreeSWITCH sent them (built once). */
  toRecord(): Readonly<Record<string, string>> {
    if (this.record) return this.record;
    const out: Record<string, string> = {};
    const text = this.text;
    const end = this.end;
    let s = 0;
    while (s < end) {
      let nl = text.indexOf('\n', s);
      if (nl === -1 || nl > end) nl = end;
      const colon = text.indexOf(': ', s);
      const name = colon !== -1 && colon < nl ? text.slice(s, colon) : text.slice(s, nl);
      const value = colon !== -1 && colon < nl ? fsUrlDecode(text.slice(colon + 2, nl)) : '';
      if (name !== '') out[name] = value;
      s = nl + 1;
    }
    this.record = out;
    return out;
  }

  /** Logged or serialised events show their headers, not this object's internals. */
  toJSON(): Readonly<Record<string, string>> {
    return this.toRecord();
  }

  /** Names of the non-variable headers (for diagnostics and tests). */
  names(): string[] {
    return [...this.fields().keys()];
  }
}

/** `variable_` at `s`, checked char by char (cheaper than startsWith on ~200 lines per event). */
function isVariableLine(text: string, s: number): boolean {
  return (
    text.charCodeAt(s) === 118 && // v
    text.charCodeAt(s + 8) === 95 && // _
    text.charCodeAt(s + 1) === 97 && // a
    text.charCodeAt(s + 2) === 114 && // r
    text.charCodeAt(s + 3) === 105 && // i
    text.charCodeAt(s + 4) === 97 && // a
    text.charCodeAt(s + 5) === 98 && // b
    text.charCodeAt(s + 6) === 108 && // l
    text.charCodeAt(s + 7) === 101 // e
  );
}

/**
 * A value handed out: decoded, and never a slice of the frame text. V8 makes substrings of 13+ characters
 * views of their parent, so a UUID kept for a live call would otherwise keep its whole ~8 kB frame alive
 * for the length of the call. Prefixing and slicing again flattens the value into a string of its own.
 */
function decode(raw: string): string {
  return raw.includes('%') ? fsUrlDecode(raw) : detach(raw);
}

function detach(value: string): string {
  return value.length < 13 ? value : ` ${value}`.slice(1);
}
