// The header block of one text/event-plain event, decoded lazily. A channel event carries ~100
// headers of its own and ~150–250 `variable_*` headers; building a 275-key object per event (what
// modesl does) costs more than everything else a controller does with the event, and consumers read
// a few dozen of them. So the block is indexed by offsets only (see LineIndex), and values are sliced
// and URL-decoded when read.
import { fsUrlDecode } from './urlencode.js';

const VARIABLE = 'variable_';
const EVENT_NAME = 'Event-Name: ';
const EVENT_NAME_BYTES = Buffer.from(EVENT_NAME);
const LF = 10;
const COLON = 58;
const SPACE = 32;

/** Per slot: [line start + 1 (0: free), end of the name (its ': ', or the line's end)]. */
const SLOT = 2;
/** A probe longer than this means crafted names collide: the event falls back to a Map of names. */
const MAX_PROBE = 24;

export class EventHeaders {
  /** The frame text; the header block is text[0, end). Not copied: slicing it would cost a copy per event. */
  private text: string;
  /** -1 until the first scan finds the blank line that ends the block (fromBytes). */
  private end: number;
  /** The undecoded frame (fromBytes), until something needs more than its Event-Name. */
  private bytes: Buffer | undefined;
  /**
   * Open-addressing hash table over the block's lines, keyed by the whole header name (variables keep
   * their `variable_` prefix), built by the first read that needs it: an event nobody reads (most
   * CHANNEL_EXECUTE_COMPLETEs a controller receives) is never indexed. Offsets, not strings, and a hash
   * of a few characters, not all: a Map of sliced names, or hashing every character in a JS loop, cost
   * three to four times as much per line. Lookups compare the whole name, so a weak hash only costs probes.
   */
  private table: Int32Array | undefined;
  private mask = 0;
  /** Name → line start, used instead of the table when an event's names collide too much (see MAX_PROBE). */
  private byName: Map<string, number> | undefined;
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
    this.table = undefined;
    this.byName = undefined;
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

  /** One pass over the lines: each name is found by its ':' and hashed by a few of its characters. */
  private index(): Int32Array {
    if (this.table) return this.table;
    const text = this.source();
    // Unknown end (fromBytes): the block ends at the first blank line, found on the way.
    const open = this.end === -1;
    let end = open ? text.length : this.end;
    let capacity = 64;
    while (capacity * 20 < end) capacity *= 2; // channel event lines average ~40 characters: load ≤ ½
    let table = newTable(capacity);
    let used = 0;
    let crowded = false;
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
      if (!insert(table, capacity - 1, text, s, c)) crowded = true;
      if (++used * 2 > capacity) {
        capacity *= 2;
        table = rehash(table, capacity, text);
      }
      s = nl + 1;
    }
    if (open) this.end = end;
    this.table = table;
    this.mask = capacity - 1;
    if (crowded) this.byName = nameMap(text, this.end);
    return table;
  }

  /** The raw (still URL-encoded) value of the header named prefix + name; the last one if repeated. */
  private raw(prefix: string, name: string): string | undefined {
    const table = this.index();
    const text = this.text;
    const start = this.byName ? (this.byName.get(prefix + name) ?? -1) : this.lookup(table, prefix, name);
    if (start === -1) return undefined;
    const nameEnd = start + prefix.length + name.length;
    if (text.charCodeAt(nameEnd) !== COLON) return '';
    let nl = text.indexOf('\n', nameEnd);
    if (nl === -1 || nl > this.end) nl = this.end;
    return text.slice(nameEnd + 2, nl);
  }

  /** Start of the line whose name is prefix + name, from the hash table; -1 if there is none. */
  private lookup(table: Int32Array, prefix: string, name: string): number {
    const text = this.text;
    const length = prefix.length + name.length;
    for (let slot = nameHash(prefix, name) & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = (table[slot * SLOT] ?? 0) - 1;
      if (at === -1) return -1;
      if (
        (table[slot * SLOT + 1] ?? 0) - at === length &&
        text.startsWith(prefix, at) &&
        text.startsWith(name, at + prefix.length)
      )
        return at;
    }
  }

  /**
   * Event-Name without indexing the block: FreeSWITCH always writes it first. Anything else (a
   * hand-written frame) falls back to the index.
   */
  eventName(): string | undefined {
    if (this.name !== undefined) return this.name;
    const bytes = this.bytes;
    if (bytes && startsWithBytes(bytes, EVENT_NAME_BYTES)) {
      let nl = bytes.indexOf(LF, EVENT_NAME.length);
      if (nl === -1) nl = bytes.length;
      this.name = fsUrlDecode(bytes.toString('latin1', EVENT_NAME.length, nl));
      // Names are ASCII; anything else is decoded as UTF-8 like every other value.
      if (!isAscii(this.name)) this.name = fsUrlDecode(bytes.toString('utf8', EVENT_NAME.length, nl));
      return this.name;
    }
    if (!this.table && !this.given && this.source().startsWith(EVENT_NAME, 0)) {
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

function startsWithBytes(bytes: Buffer, prefix: Buffer): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

function isAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false;
  return true;
}

function newTable(capacity: number): Int32Array {
  return new Int32Array(capacity * SLOT);
}

/**
 * Hash of text[s, e) from its length and five of its characters: the last three and two in the middle.
 * Header names share long prefixes (`variable_sip_…`, `Caller-…`), so the end and the middle tell them apart.
 * (No helper closures here: tsx and esbuild's keepNames wrap every closure made per call.)
 */
function weakHash(text: string, s: number, e: number): number {
  const n = e - s;
  const c1 = n >= 1 ? text.charCodeAt(e - 1) : 0;
  const c2 = n >= 2 ? text.charCodeAt(e - 2) : 0;
  const c3 = n >= 3 ? text.charCodeAt(e - 3) : 0;
  const mid = n >= 1 ? text.charCodeAt(s + (n >> 1)) : 0;
  const quarter = n >= 1 ? text.charCodeAt(s + (n >> 2)) : 0;
  return mix(Math.imul(n, 0x9e3779b1) ^ (c1 << 24) ^ (c2 << 16) ^ (c3 << 8) ^ mid ^ (quarter << 4));
}

/** weakHash of prefix + name, without building the string. */
function nameHash(prefix: string, name: string): number {
  const p = prefix.length;
  const n = p + name.length;
  const c1 = charOf(prefix, name, n - 1);
  const c2 = charOf(prefix, name, n - 2);
  const c3 = charOf(prefix, name, n - 3);
  const mid = n >= 1 ? charOf(prefix, name, n >> 1) : 0;
  const quarter = n >= 1 ? charOf(prefix, name, n >> 2) : 0;
  return mix(Math.imul(n, 0x9e3779b1) ^ (c1 << 24) ^ (c2 << 16) ^ (c3 << 8) ^ mid ^ (quarter << 4));
}

function charOf(prefix: string, name: string, i: number): number {
  if (i < 0) return 0;
  return i < prefix.length ? prefix.charCodeAt(i) : name.charCodeAt(i - prefix.length);
}

function mix(h: number): number {
  const x = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (x ^ (x >>> 12)) & 0x7fffffff;
}

/** Inserts the line starting at `start` (name up to `nameEnd`); false when its probe ran too long. */
function insert(table: Int32Array, mask: number, text: string, start: number, nameEnd: number): boolean {
  let probes = 0;
  for (let slot = weakHash(text, start, nameEnd) & mask; ; slot = (slot + 1) & mask) {
    const o = slot * SLOT;
    const other = (table[o] ?? 0) - 1;
    const otherEnd = table[o + 1] ?? 0;
    if (
      other === -1 ||
      (otherEnd - other === nameEnd - start && sameName(text, other, start, nameEnd - start))
    ) {
      // A repeated name takes the earlier line's slot: the last one wins.
      table[o] = start + 1;
      table[o + 1] = nameEnd;
      return probes <= MAX_PROBE;
    }
    probes++;
  }
}

function rehash(old: Int32Array, capacity: number, text: string): Int32Array {
  const table = newTable(capacity);
  const mask = capacity - 1;
  for (let o = 0; o < old.length; o += SLOT) {
    const start = (old[o] ?? 0) - 1;
    if (start !== -1) insert(table, mask, text, start, old[o + 1] ?? 0);
  }
  return table;
}

function sameName(text: string, a: number, b: number, length: number): boolean {
  return text.startsWith(text.slice(b, b + length), a);
}

/** The collision-proof index: every name sliced into a Map (the last of a repeated one wins). */
function nameMap(text: string, end: number): Map<string, number> {
  const map = new Map<string, number>();
  let s = 0;
  while (s < end) {
    let nl = text.indexOf('\n', s);
    if (nl === -1 || nl > end) nl = end;
    const colon = text.indexOf(': ', s);
    if (colon !== -1 && colon < nl) map.set(text.slice(s, colon), s);
    else if (nl > s) map.set(text.slice(s, nl), s);
    s = nl + 1;
  }
  return map;
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
