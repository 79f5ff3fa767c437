import { fsUrlDecodeSafe } from './text.js';

/**
 * mod_xml_curl's urlencoded body (header names are never encoded by
 * FreeSWITCH). Values are decoded only when read: a dialplan lookup carries
 * ~190 fields and the controller needs a handful. The first occurrence of a
 * name wins, so a later channel variable can never override the lookup keys
 * that come first.
 */
export class Form {
  private readonly raw = new Map<string, string>();

  constructor(body: string) {
    for (const pair of body.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      if (!this.raw.has(name)) this.raw.set(name, eq < 0 ? '' : pair.slice(eq + 1));
    }
  }

  get(name: string): string | undefined {
    const v = this.raw.get(name);
    return v === undefined ? undefined : fsUrlDecodeSafe(v);
  }

  has(name: string): boolean {
    return this.raw.has(name);
  }
}
