// The header block of one text/event-plain event, decoded lazily. A channel event carries ~100
// headers of its own and ~150–250 `variable_*` headers; building a 275-key object per event (what
// modesl does) costs more than everything else a controller does with the event, and consumers read
// a few dozen of them. So the block is indexed by offsets only (see `heads`), and values are sliced
// and URL-decoded when read.
import { fsUrlDecode } from './urlencode.js';

const VARIABLE = 'variable_';
const EVENT_NAME = 'Event-Name: ';
const EVENT_NAME_BYTES = Buffer.from(EVENT_NAME);
const LF = 10;
const COLON = 58;
const SPACE = 32;

/** Buckets of the line index: a name's length and last character pick one. */
const BUCKETS = 512;

export class EventHeaders {
  /** The frame text; the header block is text[0, end). Not copied: slicing it would cost a copy per event. */
  private text: string;
  /** -1 until the first scan finds the blank line that ends the block (fromBytes). */
  private end: number;
  /** The undecoded frame (fromBytes), until something needs more than its Event-Name. */
  private bytes: Buffer | undefined;
  /**
   * The block's lines, bucketed by name length and last character, built by the first read that needs
   * it: an event nobody reads (most CHANNEL_EXECUTE_COMPLETEs a controller receives) is never indexed.
   * `heads[bucket]` is 1 + the newest line in that bucket, `lines[3i..3i+2]` = [start, name end, 1 + the
   * previous line in its bucket]. Offsets only, no strings and no hashing: a Map of sliced names cost
   * four times as much per line, and consumers read a few dozen of an event's ~200–300 lines. Newest
   * first, so the last of a repeated header wins (as in modesl); a lookup compares whole names, so
   * names that share a bucket cost compares, never wrong answers.
   */
  private heads: Int32Array | undefined;
  private lines: Int32Array | undefined;
  /** Already decoded headers (fromRecord): answered from here, there is no text. */
  private readonly given: Readonly<Record<string, string>> | undefined;
  private variableMap: Record<string, string> | undefined;
  private record: Record<string, string> | undefined;
  /** Event-Name as read off the bytes (the adapter asks twice per frame). */
  private name: string | undefined;

  private constructor(text: string, end: number, given?: Readonly<Record<string, string>>) {
    this.text = text;
    this.end = end;
    this.bytes = undefined;
    this.heads = undefined;
    this.lines = undefined;
    this.given = given;
    this.variableMap = undefined;
    this.record = undefined;
    this.name = undefined;
  }

  /** A plain header block: text[0, end) holds `Name: url-encoded value` lines, no trailing blank line. */
  static parse(text: string, end = text.length): EventHeaders {
    return new EventHeaders(text, end);
  }

  /**
   * The body of a text/event-plain frame, undecoded: the header block, a blank line, and (only when the
   * block has a Content-Length) the event's own body. Nothing is decoded until something other than
   * Event-Name is read, so an event no listener wants costs no more than its framing.
   */
  static fromBytes(bytes: Buffer): EventHeaders {
    const h = new EventHeaders('', -1);
    h.bytes = bytes;
    return h;
  }

  /** Headers that are already decoded (json events, tests, a record built elsewhere). */
  static fromRecord(record: Readonly<Record<string, string>>): EventHeaders {
    return new EventHeaders('', 0, { ...record });
  }

  private source(): string {
    if (this.bytes) {
      this.text = this.bytes.toString('utf8');
      this.bytes = undefined;
    }
    return this.text;
  }

  /** One pass over the lines: each name is found by its ':' and filed under its bucket. */
  private index(): Int32Array {
    if (this.heads) return this.heads;
    const text = this.source();
    // Unknown end (fromBytes): the block ends at the first blank line, found on the way.
    const open = this.end === -1;
    let end = open ? text.length : this.end;
    const heads = new Int32Array(BUCKETS);
    // Channel event lines average ~40 characters; the array doubles if that guess is short.
    let lines = new Int32Array(3 * Math.max(16, Math.ceil(end / 24)));
    let count = 0;
    let s = 0;
    while (s < end) {
      let nl = text.indexOf('\n', s);
      if (nl === -1 || nl > end) nl = end;
      if (nl === s) {
        if (open) {
          end = s === 0 ? 0 : s - 1;
          break;
        }
        s = nl + 1;
        continue;
      }
      let c = text.indexOf(':', s);
      while (c !== -1 && c < nl && text.charCodeAt(c + 1) !== SPACE) c = text.indexOf(':', c + 1);
      if (c === -1 || c > nl) c = nl;
      if (3 * count + 3 > lines.length) {
        const grown = new Int32Array(lines.length * 2);
        grown.set(lines);
        lines = grown;
      }
      const b = bucket(c - s, c > s ? text.charCodeAt(c - 1) : 0);
      const o = 3 * count;
      lines[o] = s;
      lines[o + 1] = c;
      lines[o + 2] = heads[b] ?? 0;
      heads[b] = ++count;
      s = nl + 1;
    }
    if (open) this.end = end;
    this.heads = heads;
    this.lines = lines;
    return heads;
  }

  /** The raw (still URL-encoded) value of the header named prefix + name; the last one if repeated. */
  private raw(prefix: string, name: string): string | undefined {
    const heads = this.index();
    const lines = this.lines ?? heads;
    const text = this.text;
    const length = prefix.length + name.length;
    const last =
      name.length > 0
        ? name.charCodeAt(name.length - 1)
        : prefix.length > 0
          ? prefix.charCodeAt(prefix.length - 1)
          : 0;
    for (let i = heads[bucket(length, last)] ?? 0; i !== 0; i = lines[3 * (i - 1) + 2] ?? 0) {
      const o = 3 * (i - 1);
      const start = lines[o] ?? 0;
      const nameEnd = lines[o + 1] ?? 0;
      if (
        nameEnd - start !== length ||
        !text.startsWith(prefix, start) ||
        !text.startsWith(name, start + prefix.length)
      )
        continue;
      if (text.charCodeAt(nameEnd) !== COLON) return '';
      let nl = text.indexOf('\n', nameEnd);
      if (nl === -1 || nl > this.end) nl = this.end;
      return text.slice(nameEnd + 2, nl);
    }
    return undefined;
  }

  /**
   * Event-Name without indexing the block: FreeSWITCH always writes it first. Anything else (a
   * hand-written frame) falls back to the index.
   */
  eventName(): string | undefined {
    if (this.name !== undefined) return this.name;
    const bytes = this.bytes;
    const n = EVENT_NAME_BYTES.length;
    if (bytes && bytes.length >= n && bytes.compare(EVENT_NAME_BYTES, 0, n, 0, n) === 0) {
      let nl = bytes.indexOf(LF, n);
      if (nl === -1) nl = bytes.length;
      this.name = fsUrlDecode(bytes.toString('utf8', n, nl));
      return this.name;
    }
    if (!this.heads && !this.given && this.source().startsWith(EVENT_NAME, 0)) {
      const end = this.end === -1 ? this.text.length : this.end;
      let nl = this.text.indexOf('\n', EVENT_NAME.length);
      if (nl === -1 || nl > end) nl = end;
      return fsUrlDecode(this.text.slice(EVENT_NAME.length, nl));
    }
    return this.get('Event-Name');
  }

  /** A header's decoded value; `variable_x` names work too. The last of a repeated header wins, as in modesl. */
  get(name: string): string | undefined {
    if (this.given) return Object.hasOwn(this.given, name) ? this.given[name] : undefined;
    const raw = this.raw('', name);
    return raw === undefined ? undefined : decode(raw);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** One channel variable (the `variable_<name>` header), decoded; the last of a repeated one. */
  variable(name: string): string | undefined {
    if (this.given) return this.get(VARIABLE + name);
    const raw = this.raw(VARIABLE, name);
    return raw === undefined ? undefined : decode(raw);
  }

  /** Every channel variable, name without the `variable_` prefix → decoded value (built once). */
  variables(): Readonly<Record<string, string>> {
    if (this.variableMap) return this.variableMap;
    const vars: Record<string, string> = {};
    const all = this.toRecord();
    for (const name of Object.keys(all))
      if (name.startsWith(VARIABLE)) vars[name.slice(VARIABLE.length)] = all[name] ?? '';
    this.variableMap = vars;
    return vars;
  }

  /** Every header, decoded, in the order FreeSWITCH sent them (built once). */
  toRecord(): Readonly<Record<string, string>> {
    if (this.given) return this.given;
    if (this.record) return this.record;
    this.index(); // decodes the text and finds the block's end
    const out: Record<string, string> = {};
    this.eachLine((name, raw) => {
      if (name !== '') out[name] = fsUrlDecode(raw);
    });
    this.record = out;
    return out;
  }

  /**
   * The event's own body (after the block's blank line), as modesl reads it: Content-Length counts the
   * UTF-8 bytes after the blank line. '' when there is none; only BACKGROUND_JOB and a few others have one.
   */
  trailer(): string {
    if (this.given) return '';
    this.index();
    const start = this.end + 2;
    if (start >= this.text.length) return '';
    const cl = this.get('Content-Length');
    if (!cl) return '';
    return Buffer.from(this.text.slice(start)).subarray(0, parseInt(cl, 10)).toString('utf8');
  }

  /** Logged or serialised events show their headers, not this object's internals. */
  toJSON(): Readonly<Record<string, string>> {
    return this.toRecord();
  }

  /** Names of the non-variable headers, in order of first appearance (for diagnostics and tests). */
  names(): string[] {
    if (this.given) return Object.keys(this.given).filter((n) => !n.startsWith(VARIABLE));
    this.index();
    const names = new Set<string>();
    this.eachLine((name) => {
      if (!name.startsWith(VARIABLE)) names.add(name);
    });
    return [...names];
  }

  private eachLine(fn: (name: string, raw: string) => void): void {
    const text = this.text;
    const end = this.end;
    let s = 0;
    while (s < end) {
      let nl = text.indexOf('\n', s);
      if (nl === -1 || nl > end) nl = end;
      const colon = text.indexOf(': ', s);
      if (colon !== -1 && colon < nl) fn(detach(text.slice(s, colon)), text.slice(colon + 2, nl));
      else if (nl > s) fn(detach(text.slice(s, nl)), '');
      s = nl + 1;
    }
  }
}

function bucket(length: number, lastChar: number): number {
  return ((length << 4) ^ lastChar) & (BUCKETS - 1);
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
