import { fsUrlDecode } from '@pbx/esl';

const AMP = 0x26;

/** `name=` and `&name=` for each field name asked for (a dozen constant names), built once. */
const needles = new Map<string, { eq: string; ampEq: string }>();
function needlesOf(name: string): { eq: string; ampEq: string } {
  let n = needles.get(name);
  if (!n) {
    n = { eq: `${name}=`, ampEq: `&${name}=` };
    if (needles.size < 256) needles.set(name, n);
  }
  return n;
}

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
    const { eq } = needlesOf(name);
    const body = this.body;
    // The first `name=` at the start or right after an `&`. Searching for `name=` rather than `&name=` lets the
    // search skip ahead on the name's first letter instead of stopping at every one of ~190 `&`s.
    let at = body.indexOf(eq);
    while (at > 0 && body.charCodeAt(at - 1) !== AMP) at = body.indexOf(eq, at + 1);
    if (at < 0) return undefined;
    const start = at + eq.length;
    const end = body.indexOf('&', start);
    return body.slice(start, end < 0 ? undefined : end);
  }

  /**
   * The last occurrence. FreeSWITCH appends the directory lookup keys (key, user, domain, ip) at the very end,
   * while key_value near the start is written unencoded from the phone's digest realm: a realm containing
   * `&domain=…` would plant an earlier field of that name.
   */
  last(name: string): string | undefined {
    const n = needlesOf(name);
    const at = this.body.lastIndexOf(n.ampEq);
    if (at < 0) return this.body.startsWith(n.eq) ? this.get(name) : undefined;
    const start = at + n.ampEq.length;
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
