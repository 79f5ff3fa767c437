import { fsUrlDecode } from '@pbx/esl';

/**
 * mod_xml_curl's urlencoded body (FreeSWITCH never encodes header names).
 * A dialplan lookup carries ~190 fields and the controller reads a handful,
 * so fields are found on demand and only those are decoded. The first
 * occurrence of a name wins: a later channel variable can never override the
 * lookup keys that come first.
 */
export class Form {
  constructor(private readonly body: string) {}

  private find(name: string): string | undefined {
    let start: number;
    if (this.body.startsWith(`${name}=`)) start = name.length + 1;
    else {
      const at = this.body.indexOf(`&${name}=`);
      if (at < 0) return undefined;
      start = at + name.length + 2;
    }
    const end = this.body.indexOf('&', start);
    return this.body.slice(start, end < 0 ? undefined : end);
  }

  /**
   * The last occurrence. FreeSWITCH appends the directory lookup keys (key, user, domain, ip) at the very end,
   * while key_value near the start is written unencoded from the phone's digest realm: a realm containing
   * `&domain=…` would plant an earlier field of that name.
   */
  last(name: string): string | undefined {
    const at = this.body.lastIndexOf(`&${name}=`);
    if (at < 0) return this.body.startsWith(`${name}=`) ? this.get(name) : undefined;
    const start = at + name.length + 2;
    const end = this.body.indexOf('&', start);
    return fsUrlDecode(this.body.slice(start, end < 0 ? undefined : end));
  }

  get(name: string): string | undefined {
    const v = this.find(name);
    return v === undefined ? undefined : fsUrlDecode(v);
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }
}
