// Per-connection event subscriptions and filters with mod_event_socket's semantics.
import type { FsEvent } from './fs-event.js';

export type EventFormat = 'plain' | 'json' | 'xml';

export class Subscriptions {
  format: EventFormat = 'plain';
  all = false;
  readonly names = new Set<string>();
  readonly subclasses = new Set<string>();
  private filters: Array<[string, string]> = [];

  get listening(): boolean {
    return this.all || this.names.size > 0 || this.subclasses.size > 0;
  }

  /** `event [fmt] NAME… [CUSTOM sub…]`; returns the Reply-Text. */
  event(args: string[]): string {
    const words = [...args];
    const first = words[0]?.toLowerCase();
    if (first === 'plain' || first === 'json' || first === 'xml') {
      this.format = first;
      words.shift();
    } else if (first !== undefined && /^[a-z]+$/.test(words[0] ?? '') && first !== 'all') {
      // An unknown format word: FreeSWITCH falls back to plain.
      this.format = 'plain';
      words.shift();
    }
    if (words.length === 0) return '-ERR no keywords supplied';
    let custom = false;
    for (const w of words) {
      if (custom) {
        this.subclasses.add(w);
        continue;
      }
      const name = w.toUpperCase().replace(/^SWITCH_EVENT_/, '');
      if (name === 'ALL') this.all = true;
      else if (name === 'CUSTOM') custom = true;
      else this.names.add(name);
    }
    if (custom) this.names.add('CUSTOM');
    // json and xml events are served as plain by this double only for xml.
    return `+OK event listener enabled ${this.format}`;
  }

  /** What `myevents` does to the event list: adds these names (no format word, no reply of its own). */
  subscribe(names: readonly string[]): void {
    for (const n of names) this.names.add(n);
  }

  nix(args: string[]): string {
    let custom = false;
    for (const w of args) {
      if (custom) {
        this.subclasses.delete(w);
        continue;
      }
      const name = w.toUpperCase();
      if (name === 'ALL') {
        this.all = false;
        this.names.clear();
        this.subclasses.clear();
      } else if (name === 'CUSTOM') custom = true;
      else this.names.delete(name);
    }
    return '+OK events nixed';
  }

  clear(): string {
    if (!this.listening) return '-ERR not listening for events';
    this.all = false;
    this.names.clear();
    this.subclasses.clear();
    return '+OK no longer listening for events';
  }

  /** `filter H V` / `filter delete H [V]` / `filter delete all`; returns the Reply-Text. */
  filter(rest: string): string {
    if (rest.startsWith('delete ')) {
      const r = rest.slice(7);
      const sp = r.indexOf(' ');
      const h = sp === -1 ? r : r.slice(0, sp);
      const v = sp === -1 ? '' : r.slice(sp + 1);
      if (h === 'all') this.filters = [];
      else this.filters = this.filters.filter(([fh, fv]) => !(fh === h && (v === '' || fv === v)));
      return `+OK filter deleted. [${h}][${v}]`;
    }
    const sp = rest.indexOf(' ');
    const h = sp === -1 ? rest : rest.slice(0, sp);
    const v = sp === -1 ? '' : rest.slice(sp + 1);
    this.filters.push([h, v]);
    return `+OK filter added. [${h}]=[${v}]`;
  }

  wants(ev: FsEvent): boolean {
    const subscribed =
      this.all ||
      (ev.name === 'CUSTOM'
        ? ev.subclass !== undefined &&
          (this.subclasses.has(ev.subclass) || (this.names.has('CUSTOM') && this.subclasses.size === 0))
        : this.names.has(ev.name));
    if (!subscribed) return false;
    if (this.filters.length === 0) return true;
    let positive = false;
    let anyPositive = false;
    for (const [h, raw] of this.filters) {
      let v = raw.trimStart();
      const exclude = v.startsWith('-');
      if (exclude || v.startsWith('+')) v = v.slice(1);
      const actual = ev.get(h);
      const match = actual !== undefined && matches(actual, v);
      if (exclude) {
        if (match) return false;
      } else {
        anyPositive = true;
        if (match) positive = true;
      }
    }
    return !anyPositive || positive;
  }
}

function matches(actual: string, pattern: string): boolean {
  const m = /^\/(.*)\/([is]*)$/.exec(pattern);
  if (m) {
    try {
      return new RegExp(m[1] ?? '', m[2]?.includes('i') ? 'i' : '').test(actual);
    } catch {
      return false;
    }
  }
  return actual.toLowerCase() === pattern.toLowerCase();
}
